package com.creditrisk.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** The kernel process Jupyter starts: {@code KernelMain CONNECTION_FILE} (see kernel.json). */
public final class KernelMain {
  private KernelMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see bin/install-kernel)");
      System.exit(2);
    }
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    JupyterConnection connection = new JupyterConnection(props);
    SparkJavaKernel kernel = SparkJavaKernel.builder().name("credit-risk").version(version()).build();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
  }

  private static String version() {
    String v = KernelMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
