#!/usr/bin/env python3
"""Checks an Airflow DAG file without Airflow (standard library only).

    python3 airflow/check_dag.py [--sample-ds 2026-01-15] [--params DIR] DAG_FILE

- the file compiles;
- every operator call passes only parameters its class accepts: the provider's documented
  __init__ parameters plus BaseOperator's, both kept in provider_params/*.json with the version
  and source they come from (a subclass defined in the DAG file inherits its base's list);
- default_args name only parameters some operator accepts;
- task ids are unique, dependencies (>>, <<, set_upstream, set_downstream, chain,
  cross_downstream) name tasks of the file, and they form no cycle;
- if the file defines spark_exit_code(message), it reads the exit code out of both failure
  messages of the provider's SparkSubmitHook.

On success it prints JSON: every task with its operator, upstream task ids and, for spark-submit
tasks, the application's command line (application_args) with {{ ds }} rendered to the sample
date, so that the application's own parser can check it. On failure it prints one line per
problem (FILE:LINE: message) to stderr and exits 1; bad usage exits 2.

It reads the DAG's syntax, it does not run it: arguments must be literals, module-level names
bound to literals, lists, `*` and `**` of those, and `+`. Anything else is reported as not
checkable rather than guessed.
"""
from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

TEMPLATE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# SparkSubmitHook.submit's failure messages (apache-airflow-providers-apache-spark 5.x,
# hooks/spark_submit.py), {code} being the application's exit code: plain; on Kubernetes in
# cluster mode (spark-submit exits 0, the driver pod does not); on Kubernetes in client mode (the
# hook sets the pod's code to 0 and spark-submit exits with the driver's).
HOOK_MESSAGES = [
    "Cannot execute: spark-submit --master yarn app.jar. Error code is: {code}.",
    "Cannot execute: spark-submit --master k8s://x app.jar. Error code is: 0. Kubernetes spark exit code is: {code}",
    "Cannot execute: spark-submit --master k8s://x app.jar. Error code is: {code}. Kubernetes spark exit code is: 0",
]


class NotStatic(Exception):
    """An expression the checker cannot evaluate without running the DAG."""

    def __init__(self, node: ast.AST, what: str):
        super().__init__(what)
        self.node = node


class Params:
    """Operator parameter lists from provider_params/*.json."""

    def __init__(self, folder: Path):
        self.base: set[str] = set()
        self.operators: dict[str, set[str]] = {}
        self.sources: list[str] = []
        for f in sorted(folder.glob("*.json")):
            spec = json.loads(f.read_text(encoding="utf-8"))
            self.sources.append(f"{f.name}: {spec['package']} {spec['version']}")
            if "operators" in spec:
                for name, op in spec["operators"].items():
                    self.operators[name] = set(op["params"])
            else:
                self.base |= set(spec["params"])
        if not self.base or not self.operators:
            raise SystemExit(f"check_dag: {folder} needs a BaseOperator list and at least one operator list")


class Task:
    def __init__(self, task_id: str, operator: str, line: int, args: list[str] | None):
        self.task_id = task_id
        self.operator = operator
        self.line = line
        self.args = args
        self.upstream: list[str] = []


class Checker:
    def __init__(self, path: Path, params: Params, sample_ds: str):
        self.path = path
        self.params = params
        self.sample_ds = sample_ds
        self.problems: list[str] = []
        self.names: dict[str, ast.expr] = {}
        self.operators = dict(params.operators)
        self.tasks: dict[str, Task] = {}  # by task id
        self.task_vars: dict[str, str] = {}  # variable name -> task id
        self.broken_vars: set[str] = set()  # variables of operator calls with a problem

    def problem(self, node: ast.AST | None, message: str) -> None:
        line = getattr(node, "lineno", 0)
        self.problems.append(f"{self.path}:{line}: {message}")

    def run(self) -> dict | None:
        source = self.path.read_text(encoding="utf-8")
        try:
            # compile() is py_compile without the .pyc it would leave in the repository.
            compile(source, str(self.path), "exec", dont_inherit=True)
        except SyntaxError as e:
            self.problems.append(f"{self.path}:{e.lineno}: does not compile: {e.msg}")
            return None
        tree = ast.parse(source, str(self.path))
        self.collect_names(tree)
        self.collect_subclasses(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and self.call_name(node) == "DAG":
                self.check_default_args(node)
        self.collect_tasks(tree)
        self.collect_dependencies(tree)
        self.check_acyclic()
        self.check_exit_code_reader(tree)
        if self.problems:
            return None
        return {
            "file": str(self.path),
            "sample_ds": self.sample_ds,
            "parameter_lists": self.params.sources,
            "tasks": [
                {"task_id": t.task_id, "operator": t.operator, "line": t.line,
                 "upstream": t.upstream, "command_line": t.args}
                for t in self.tasks.values()
            ],
        }

    # --- names, classes, values -------------------------------------------------------------

    def collect_names(self, tree: ast.Module) -> None:
        """Module-level `NAME = expr` bindings; a later binding wins, as at run time."""
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self.names[stmt.targets[0].id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
                self.names[stmt.target.id] = stmt.value

    def collect_subclasses(self, tree: ast.Module) -> None:
        """A class in the DAG file that extends a known operator accepts its base's parameters,
        plus the keyword parameters of its own __init__."""
        changed = True
        while changed:
            changed = False
            for stmt in tree.body:
                if not isinstance(stmt, ast.ClassDef) or stmt.name in self.operators:
                    continue
                bases = [self.expr_name(b) for b in stmt.bases]
                known = [b for b in bases if b in self.operators]
                if not known:
                    continue
                accepted = set().union(*(self.operators[b] for b in known))
                for item in stmt.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        accepted |= {a.arg for a in item.args.args[1:] + item.args.kwonlyargs}
                self.operators[stmt.name] = accepted
                changed = True

    @staticmethod
    def expr_name(node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            return node.attr
        return None

    def call_name(self, call: ast.Call) -> str | None:
        return self.expr_name(call.func)

    def value(self, node: ast.expr, seen: frozenset[str] = frozenset()):
        """The value of a literal expression, following module-level names."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            out = []
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    out.extend(self.value(e.value, seen))
                else:
                    out.append(self.value(e, seen))
            return out
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                raise NotStatic(node, "a ** inside a dict literal")
            return {self.value(k, seen): self.value(v, seen) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.Name):
            if node.id in seen or node.id not in self.names:
                raise NotStatic(node, f"'{node.id}' is not a module-level literal")
            return self.value(self.names[node.id], seen | {node.id})
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.value(node.left, seen) + self.value(node.right, seen)
        raise NotStatic(node, f"'{ast.unparse(node)}' is not a literal")

    def keywords(self, call: ast.Call) -> dict[str, ast.expr]:
        """Keyword arguments of a call, with `**NAME` expanded when NAME is a module-level dict."""
        out: dict[str, ast.expr] = {}
        for kw in call.keywords:
            if kw.arg is not None:
                out[kw.arg] = kw.value
                continue
            if not isinstance(kw.value, ast.Name):
                raise NotStatic(kw.value, f"**{ast.unparse(kw.value)} is not a module-level dict literal")
            out.update(self.dict_entries(kw.value))
        return out

    def dict_entries(self, node: ast.expr) -> dict[str, ast.expr]:
        """Keys of a dict literal, dict(k=v) call or a module-level name bound to one, with
        their value expressions (which need not be literals: only the keys are checked)."""
        if isinstance(node, ast.Name) and node.id in self.names:
            node = self.names[node.id]
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            return {k.value: v for k, v in zip(node.keys, node.values)}
        if (isinstance(node, ast.Call) and self.call_name(node) == "dict"
                and not node.args and all(k.arg for k in node.keywords)):
            return {k.arg: k.value for k in node.keywords}
        raise NotStatic(node, f"'{ast.unparse(node)}' is not a dict literal")

    def render(self, node: ast.AST, text: str) -> str:
        if "{%" in text:
            self.problem(node, f"Jinja statements are not rendered by this check: {text!r}")
        macros = {"ds": self.sample_ds, "ds_nodash": self.sample_ds.replace("-", "")}

        def one(m: re.Match) -> str:
            if m.group(1) not in macros:
                self.problem(node, f"template {m.group(0)} is not rendered by this check (only {sorted(macros)})")
                return m.group(0)
            return macros[m.group(1)]

        return TEMPLATE.sub(one, text)

    # --- operators ---------------------------------------------------------------------------

    def check_default_args(self, dag_call: ast.Call) -> None:
        node = next((k.value for k in dag_call.keywords if k.arg == "default_args"), None)
        if node is None:
            return
        try:
            args = self.dict_entries(node)
        except NotStatic as e:
            self.problem(e.node, f"default_args cannot be checked: {e}")
            return
        accepted = self.params.base.union(*self.operators.values())
        for key in args:
            if key not in accepted:
                self.problem(node, f"default_args names '{key}', which no known operator accepts")

    def collect_tasks(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                task = self.task(node.value)
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    if task:
                        self.task_vars[node.targets[0].id] = task.task_id
                    elif self.call_name(node.value) in self.operators:
                        # Already reported; its dependencies would only repeat the problem.
                        self.broken_vars.add(node.targets[0].id)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self.task(node.value)

    def task(self, call: ast.Call) -> Task | None:
        op = self.call_name(call)
        if op not in self.operators:
            if op and re.search(r"(Operator|Sensor)$", op):
                self.problem(call, f"{op}: no parameter list for it under provider_params/, cannot check it")
            return None
        if call.args:
            self.problem(call, f"{op} takes keyword arguments only")
        try:
            kwargs = self.keywords(call)
        except NotStatic as e:
            self.problem(e.node, f"{op}: arguments cannot be checked: {e}")
            return None
        accepted = self.operators[op] | self.params.base
        for name in kwargs:
            if name not in accepted:
                self.problem(call, f"{op} has no parameter '{name}' (see provider_params/)")
        try:
            task_id = self.value(kwargs["task_id"]) if "task_id" in kwargs else None
        except NotStatic as e:
            self.problem(e.node, f"{op}: task_id cannot be checked: {e}")
            return None
        if not isinstance(task_id, str):
            self.problem(call, f"{op} needs a task_id string")
            return None
        if task_id in self.tasks:
            self.problem(call, f"duplicate task_id '{task_id}' (first at line {self.tasks[task_id].line})")
            return None
        args = None
        if "application_args" in kwargs:
            try:
                raw = self.value(kwargs["application_args"])
            except NotStatic as e:
                self.problem(e.node, f"{task_id}: application_args cannot be checked: {e}")
                raw = []
            if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
                self.problem(call, f"{task_id}: application_args must be a list of strings")
                raw = []
            args = [self.render(call, a) for a in raw]
        task = Task(task_id, op, call.lineno, args)
        self.tasks[task_id] = task
        return task

    # --- dependencies ------------------------------------------------------------------------

    def collect_dependencies(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Expr):
                continue
            expr = node.value
            if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.RShift, ast.LShift)):
                self.shift(expr)
            elif isinstance(expr, ast.Call):
                name = self.call_name(expr)
                if isinstance(expr.func, ast.Attribute) and name in ("set_upstream", "set_downstream"):
                    me = self.refs(expr.func.value)
                    others = [t for a in expr.args for t in self.refs(a)]
                    for a in me:
                        for b in others:
                            self.edge(b, a) if name == "set_upstream" else self.edge(a, b)
                elif name == "chain":
                    self.chain(expr)
                elif name == "cross_downstream" and len(expr.args) == 2:
                    for a in self.refs(expr.args[0]):
                        for b in self.refs(expr.args[1]):
                            self.edge(a, b)

    def shift(self, expr: ast.expr) -> list[str]:
        """`a >> b` makes b downstream of a and evaluates to b, so `a >> b >> c` chains."""
        if not (isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.RShift, ast.LShift))):
            return self.refs(expr)
        left, right = self.shift(expr.left), self.refs(expr.right)
        for a in left:
            for b in right:
                self.edge(a, b) if isinstance(expr.op, ast.RShift) else self.edge(b, a)
        return right

    def chain(self, call: ast.Call) -> None:
        groups = []
        for a in call.args:
            if isinstance(a, ast.Starred):
                groups.extend([t] for t in self.refs(a.value))
            else:
                groups.append(self.refs(a))
        for up, down in zip(groups, groups[1:]):
            if len(up) > 1 and len(down) > 1:
                if len(up) != len(down):
                    self.problem(call, "chain() of two lists needs lists of the same length")
                for a, b in zip(up, down):
                    self.edge(a, b)
            else:
                for a in up:
                    for b in down:
                        self.edge(a, b)

    def refs(self, node: ast.expr) -> list[str]:
        """Task ids an expression in a dependency names; unknown names are problems."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return [t for e in node.elts for t in self.refs(e.value if isinstance(e, ast.Starred) else e)]
        if isinstance(node, ast.Name):
            if node.id in self.task_vars:
                return [self.task_vars[node.id]]
            if node.id in self.broken_vars:
                return []
            bound = self.names.get(node.id)
            if isinstance(bound, (ast.List, ast.Tuple)):
                return self.refs(bound)
            self.problem(node, f"dependency on '{node.id}', which is not a task of this DAG")
            return []
        self.problem(node, f"dependency on '{ast.unparse(node)}' cannot be checked")
        return []

    def edge(self, up: str, down: str) -> None:
        if up not in self.tasks[down].upstream:
            self.tasks[down].upstream.append(up)

    def check_acyclic(self) -> None:
        state: dict[str, int] = {}

        def visit(t: str, path: list[str]) -> None:
            if state.get(t) == 2:
                return
            if state.get(t) == 1:
                self.problem(None, "dependency cycle: " + " >> ".join(path[path.index(t):] + [t]))
                return
            state[t] = 1
            for up in self.tasks[t].upstream:
                visit(up, path + [t])
            state[t] = 2

        for t in self.tasks:
            visit(t, [])

    # --- the DAG's own logic -----------------------------------------------------------------

    def check_exit_code_reader(self, tree: ast.Module) -> None:
        fn = next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "spark_exit_code"), None)
        if fn is None:
            return
        # The function alone, with only `re`: it must not need Airflow to read a message.
        module = ast.Module(body=[
            ast.ImportFrom(module="__future__", names=[ast.alias(name="annotations")], level=0),
            ast.Import(names=[ast.alias(name="re")]),
            fn,
        ], type_ignores=[])
        ast.fix_missing_locations(module)
        scope: dict = {"__name__": "spark_exit_code_check"}
        exec(compile(module, str(self.path), "exec"), scope)
        for template in HOOK_MESSAGES:
            for code in (1, 3, 4):
                message = template.format(code=code)
                got = scope["spark_exit_code"](message)
                if got != code:
                    self.problem(fn, f"spark_exit_code({message!r}) is {got!r}, expected {code}")
        if scope["spark_exit_code"]("No driver id is known") is not None:
            self.problem(fn, "spark_exit_code of a message without an exit code must be None")


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dag_file", type=Path)
    parser.add_argument("--sample-ds", default="2026-01-15", help="the date {{ ds }} renders to")
    parser.add_argument("--params", type=Path, default=here / "provider_params",
                        help="folder of operator parameter lists (default: provider_params next to this script)")
    opts = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", opts.sample_ds):
        parser.error("--sample-ds must be yyyy-MM-dd")
    if not opts.dag_file.is_file():
        parser.error(f"no such file: {opts.dag_file}")
    checker = Checker(opts.dag_file, Params(opts.params), opts.sample_ds)
    result = checker.run()
    if result is None:
        for p in checker.problems:
            print(p, file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
