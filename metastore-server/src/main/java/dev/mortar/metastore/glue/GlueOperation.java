package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One Glue operation: its input shape in, its output shape out, or a {@link GlueException}. */
@FunctionalInterface
interface GlueOperation {
    ObjectNode handle(GlueRequest request);
}
