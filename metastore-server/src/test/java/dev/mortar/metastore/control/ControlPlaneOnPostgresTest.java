package dev.mortar.metastore.control;

/** The control plane's contract on Postgres. */
class ControlPlaneOnPostgresTest extends ControlPlaneContract {
    @Override
    String kind() {
        return "postgres";
    }
}
