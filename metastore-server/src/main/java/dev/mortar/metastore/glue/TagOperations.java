package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GetTags, TagResource, UntagResource on the ARNs clients build for the resources the service tags and Mortar serves:
 * databases, connections, crawlers, jobs, triggers and workflows ({@code arn:<partition>:glue:<region>:<account>:database/<name>},
 * {@code ...:job/<name>}). The partition, region and account are not checked, since clients make them from their own
 * configuration (Terraform without an account id leaves it empty). Tables, functions and classifiers carry no tags in
 * the service either: their ARNs are refused as input.
 */
final class TagOperations {
    private static final Logger LOG = LoggerFactory.getLogger(TagOperations.class);

    /** ARN resource types of the service that exist here but cannot be tagged. */
    private static final List<String> UNTAGGABLE = List.of("catalog", "table", "userDefinedFunction", "classifier");

    private final GlueContext ctx;
    private final Tags tags;

    TagOperations(GlueContext ctx, Tags tags) {
        this.ctx = ctx;
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
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[1].startsWith("aws") || !parts[2].equals("glue")) {
            throw GlueException.invalidInput("Invalid ResourceArn " + arn + "; expected arn:aws:glue:<region>:<account>:<type>/<name>");
        }
        int slash = parts[5].indexOf('/');
        String type = slash < 0 ? parts[5] : parts[5].substring(0, slash);
        for (Tags.Kind kind : Tags.Kind.values()) {
            if (kind.arnType().equals(type) && slash > 0 && slash < parts[5].length() - 1) {
                return new Resource(kind, parts[5].substring(slash + 1));
            }
        }
        if (UNTAGGABLE.contains(type)) {
            throw GlueException.invalidInput("Resource type " + type + " cannot be tagged (" + arn + "); tags are kept for databases, connections, crawlers, "
                    + "jobs, triggers and workflows");
        }
        throw GlueException.invalidInput("Invalid ResourceArn " + arn + "; expected arn:aws:glue:<region>:<account>:<type>/<name> with type database, "
                + "connection, crawler, job, trigger or workflow");
    }

    private ObjectNode getTags(GlueRequest r) {
        Resource res = resource(r);
        Map<String, String> found = res.kind() == Tags.Kind.DATABASE
                ? ctx.tx(c -> Tags.tags(c, Tags.Kind.DATABASE, databaseTagName(c, res.name())))
                : tags.get(res.kind(), res.name());
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode t = out.putObject("Tags");
        found.forEach(t::put);
        return out;
    }

    private ObjectNode tagResource(GlueRequest r) {
        Resource res = resource(r);
        Map<String, String> added = r.stringMap("TagsToAdd", 1, 128, 0, 256).orElseThrow(() -> GlueException.invalidInput("TagsToAdd is required"));
        if (res.kind() == Tags.Kind.DATABASE) {
            ctx.tx(c -> {
                Tags.set(c, Tags.Kind.DATABASE, databaseTagName(c, res.name()), added);
                return null;
            });
            LOG.info("database {}: tagged {}", GlueContext.lower(res.name()), new TreeMap<>(added).keySet());
        } else {
            tags.tag(res.kind(), res.name(), added);
        }
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode untagResource(GlueRequest r) {
        Resource res = resource(r);
        List<String> keys = r.requiredStrings("TagsToRemove", 0, 50, 1, 128);
        if (res.kind() == Tags.Kind.DATABASE) {
            ctx.tx(c -> {
                Tags.remove(c, Tags.Kind.DATABASE, databaseTagName(c, res.name()), keys);
                return null;
            });
            LOG.info("database {}: untagged {}", GlueContext.lower(res.name()), keys);
        } else {
            tags.untag(res.kind(), res.name(), keys);
        }
        return HiveShapes.JSON.createObjectNode();
    }

    /** The name a database's tags are kept under; {@code EntityNotFoundException} when there is no such database. */
    private String databaseTagName(java.sql.Connection c, String name) throws java.sql.SQLException {
        DbRow row = ctx.requireDatabase(c, name);
        return DatabaseOperations.tagName(row);
    }
}
