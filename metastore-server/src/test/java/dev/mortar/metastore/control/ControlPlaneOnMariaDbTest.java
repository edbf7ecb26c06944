package dev.mortar.metastore.control;

/** The control plane's contract on MariaDb. */
class ControlPlaneOnMariaDbTest extends ControlPlaneContract {
    @Override
    String kind() {
        return "mariadb";
    }
}
