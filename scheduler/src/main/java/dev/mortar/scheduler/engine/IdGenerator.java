package dev.mortar.scheduler.engine;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids of the chains and workflow runs that firings begin. */
public interface IdGenerator {
    /** A new chain of a SCHEDULED or ON_DEMAND trigger outside workflows. */
    String newChainId();

    /** A new workflow run, {@code wr_} and 64 hex digits as the service's. */
    String newWorkflowRunId();

    /** Random ids: {@code ch_} or {@code wr_} followed by 64 hex digits. */
    static IdGenerator random() {
        SecureRandom random = new SecureRandom();
        return new IdGenerator() {
            @Override
            public String newChainId() {
                return "ch_" + hex();
            }

            @Override
            public String newWorkflowRunId() {
                return "wr_" + hex();
            }

            private String hex() {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                return HexFormat.of().formatHex(bytes);
            }
        };
    }
}
