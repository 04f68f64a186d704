package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.config.CreditRiskConfig;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the umask of the outputs is found, and that Hadoop reads it from where it is set. */
class UmaskTest {
  @Test
  void readsTheUmaskLineOfProcSelfStatus() {
    assertEquals(Optional.of("077"), Umask.fromProcStatus(List.of("Name:\tjava", "Umask:\t0077", "State:\tR")));
    assertEquals(Optional.of("022"), Umask.fromProcStatus(List.of("Umask:\t0022")));
    assertEquals(Optional.empty(), Umask.fromProcStatus(List.of("Name:\tjava", "State:\tR")));
  }

  @Test
  void theFolderProbeFindsTheSameUmaskAsProc(@TempDir Path dir) {
    // The JVM's umask is whatever the shell gave it; both ways must agree on it.
    assertEquals(Umask.ofProcess(), Umask.probe(dir));
  }

  @Test
  void modeReadsPosixPermissionsAsOctal() {
    assertEquals(0750, Umask.mode(PosixFilePermissions.fromString("rwxr-x---")));
    assertEquals(0644, Umask.mode(PosixFilePermissions.fromString("rw-r--r--")));
    assertEquals(0001, Umask.mode(PosixFilePermissions.fromString("--------x")));
  }

  @Test
  void outputPermissionsWinsOverTheProcessUmask() {
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(List.of("output.permissions=027"));
    assertEquals("027", Umask.effective(conf));
    assertEquals(Umask.ofProcess(), Umask.effective(CreditRiskConfig.defaults()));
  }

  @Test
  void hadoopAppliesTheUmaskSetOnItsConfiguration() {
    Configuration hadoop = new Configuration(false);
    assertEquals(0022, FsPermission.getUMask(hadoop).toShort()); // Hadoop's own default, whatever the process's
    Umask.apply(hadoop, "077");
    assertEquals(0077, FsPermission.getUMask(hadoop).toShort());
  }

  @Test
  void aUmaskThatIsNotOctalIsABadConfigValue() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(com.creditrisk.errors.CreditRiskException.class,
        () -> CreditRiskConfig.defaults().with(List.of("output.permissions=u=rwx")));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("output.permissions"), e.getMessage());
  }
}
