package dev.mortar.etl;

/** How a job's script runs here, as {@link JobScripts#kind} decides from the job's command and script. */
public enum JobKind {
    /** A {@code glueetl} job whose script is SQL ({@code .sql}): {@link SqlJobRunner} on the DuckDB engine. */
    SQL,
    /** A {@code pythonshell} job ({@code .py}): {@link dev.mortar.etl.python.PythonShellRunner}. */
    PYTHON_SHELL
}
