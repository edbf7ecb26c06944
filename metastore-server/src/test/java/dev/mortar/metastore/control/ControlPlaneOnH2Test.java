package dev.mortar.metastore.control;

/** The control plane's contract on H2. */
class ControlPlaneOnH2Test extends ControlPlaneContract {
    @Override
    String kind() {
        return "h2";
    }
}
