package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.tag.Tags;

import java.util.List;
import java.util.Map;

/**
 * GetTags, TagResource, UntagResource on the ARNs clients build for jobs and crawlers
 * ({@code arn:<partition>:glue:<region>:<account>:job/<name>}); the partition, region and account are not checked,
 * since clients make them from their own configuration.
 */
final class TagOperations {
    private final Tags tags;

    TagOperations(Tags tags) {
        this.tags = tags;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("GetTags", this::getTags);
        ops.put("TagResource", this::tagResource);
        ops.put("UntagResource", this::untagResource);
    }

    private record Resource(Tags.Kind kind, String name) {}

    private static Resource resource(GlueRequest r) {
        String arn = r.requiredString("ResourceArn", 1, 10240);
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("glue")) {
            throw GlueException.invalidInput("Invalid ResourceArn " + arn + "; expected arn:aws:glue:<region>:<account>:<type>/<name>");
        }
        int slash = parts[5].indexOf('/');
        String type = slash < 0 ? parts[5] : parts[5].substring(0, slash);
        for (Tags.Kind kind : Tags.Kind.values()) {
            if (kind.arnType().equals(type) && slash > 0 && slash < parts[5].length() - 1) {
                return new Resource(kind, parts[5].substring(slash + 1));
            }
        }
        throw GlueException.invalidInput("Tags are kept for jobs, crawlers, triggers and workflows (ARNs ...:job/<name>, ...:crawler/<name>, ...:trigger/<name>, ...:workflow/<name>), not for " + arn);
    }

    private ObjectNode getTags(GlueRequest r) {
        Resource res = resource(r);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode t = out.putObject("Tags");
        tags.get(res.kind(), res.name()).forEach(t::put);
        return out;
    }

    private ObjectNode tagResource(GlueRequest r) {
        Resource res = resource(r);
        tags.tag(res.kind(), res.name(), r.stringMap("TagsToAdd", 1, 128, 0, 256).orElseThrow(() -> GlueException.invalidInput("TagsToAdd is required")));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode untagResource(GlueRequest r) {
        Resource res = resource(r);
        List<String> keys = r.requiredStrings("TagsToRemove", 0, 50, 1, 128);
        tags.untag(res.kind(), res.name(), keys);
        return HiveShapes.JSON.createObjectNode();
    }
}
