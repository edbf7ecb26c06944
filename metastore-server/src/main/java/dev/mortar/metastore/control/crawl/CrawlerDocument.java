package dev.mortar.metastore.control.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.DeleteBehavior;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.JdbcTarget;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.LakeFormation;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.RecrawlBehavior;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.S3Target;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.SchemaChangePolicy;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.UpdateBehavior;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the control store keeps a {@link CrawlerDefinition}: one JSON document per crawler ({@code g_crawlers.definition}),
 * with the member names crawlers have always been stored under, so that stores written before the definition was
 * typed read back unchanged.
 */
public final class CrawlerDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrawlerDocument() {}

    static String write(CrawlerDefinition d) {
        ObjectNode o = JSON.createObjectNode().put("Role", d.role());
        d.databaseName().ifPresent(v -> o.put("DatabaseName", v));
        d.description().ifPresent(v -> o.put("Description", v));
        ObjectNode targets = o.putObject("Targets");
        if (!d.s3Targets().isEmpty()) {
            ArrayNode s3 = targets.putArray("S3Targets");
            for (S3Target t : d.s3Targets()) {
                ObjectNode n = s3.addObject().put("Path", t.path());
                if (!t.exclusions().isEmpty()) {
                    t.exclusions().forEach(n.putArray("Exclusions")::add);
                }
                t.connectionName().ifPresent(v -> n.put("ConnectionName", v));
                t.sampleSize().ifPresent(v -> n.put("SampleSize", v));
                t.eventQueueArn().ifPresent(v -> n.put("EventQueueArn", v));
                t.dlqEventQueueArn().ifPresent(v -> n.put("DlqEventQueueArn", v));
            }
        }
        if (!d.jdbcTargets().isEmpty()) {
            ArrayNode jdbc = targets.putArray("JdbcTargets");
            for (JdbcTarget t : d.jdbcTargets()) {
                ObjectNode n = jdbc.addObject().put("ConnectionName", t.connectionName()).put("Path", t.path());
                if (!t.exclusions().isEmpty()) {
                    t.exclusions().forEach(n.putArray("Exclusions")::add);
                }
                if (!t.enableAdditionalMetadata().isEmpty()) {
                    t.enableAdditionalMetadata().forEach(n.putArray("EnableAdditionalMetadata")::add);
                }
            }
        }
        d.schedule().ifPresent(v -> o.put("Schedule", v));
        if (!d.classifiers().isEmpty()) {
            d.classifiers().forEach(o.putArray("Classifiers")::add);
        }
        d.tablePrefix().ifPresent(v -> o.put("TablePrefix", v));
        d.schemaChangePolicy().ifPresent(p -> {
            ObjectNode n = o.putObject("SchemaChangePolicy");
            p.updateBehavior().ifPresent(v -> n.put("UpdateBehavior", v.name()));
            p.deleteBehavior().ifPresent(v -> n.put("DeleteBehavior", v.name()));
        });
        d.recrawlBehavior().ifPresent(v -> o.putObject("RecrawlPolicy").put("RecrawlBehavior", v.name()));
        d.lineageSettings().ifPresent(v -> o.putObject("LineageConfiguration").put("CrawlerLineageSettings", v));
        d.lakeFormation().ifPresent(l -> {
            ObjectNode n = o.putObject("LakeFormationConfiguration");
            l.useLakeFormationCredentials().ifPresent(v -> n.put("UseLakeFormationCredentials", v));
            l.accountId().ifPresent(v -> n.put("AccountId", v));
        });
        d.configuration().ifPresent(v -> o.put("Configuration", v));
        d.securityConfiguration().ifPresent(v -> o.put("CrawlerSecurityConfiguration", v));
        return o.toString();
    }

    public static CrawlerDefinition read(String document) {
        JsonNode o;
        try {
            o = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalStateException("A stored crawler definition is not JSON: " + e.getMessage(), e);
        }
        return read(o);
    }

    static CrawlerDefinition read(JsonNode o) {
        List<S3Target> s3 = new ArrayList<>();
        for (JsonNode t : o.path("Targets").path("S3Targets")) {
            s3.add(new S3Target(t.path("Path").asText(), strings(t.path("Exclusions")), text(t, "ConnectionName"),
                    t.hasNonNull("SampleSize") ? OptionalInt.of(t.get("SampleSize").asInt()) : OptionalInt.empty(), text(t, "EventQueueArn"),
                    text(t, "DlqEventQueueArn")));
        }
        List<JdbcTarget> jdbc = new ArrayList<>();
        for (JsonNode t : o.path("Targets").path("JdbcTargets")) {
            jdbc.add(new JdbcTarget(t.path("ConnectionName").asText(), t.path("Path").asText(), strings(t.path("Exclusions")),
                    strings(t.path("EnableAdditionalMetadata"))));
        }
        JsonNode scp = o.path("SchemaChangePolicy");
        Optional<SchemaChangePolicy> policy = scp.isObject() ? Optional.of(new SchemaChangePolicy(
                text(scp, "UpdateBehavior").map(UpdateBehavior::valueOf), text(scp, "DeleteBehavior").map(DeleteBehavior::valueOf))) : Optional.empty();
        JsonNode lf = o.path("LakeFormationConfiguration");
        Optional<LakeFormation> lakeFormation = lf.isObject() ? Optional.of(new LakeFormation(
                lf.hasNonNull("UseLakeFormationCredentials") ? Optional.of(lf.get("UseLakeFormationCredentials").asBoolean()) : Optional.empty(),
                text(lf, "AccountId"))) : Optional.empty();
        return new CrawlerDefinition(o.path("Role").asText(""), text(o, "DatabaseName"), text(o, "Description"), s3, jdbc, text(o, "Schedule"),
                strings(o.path("Classifiers")), text(o, "TablePrefix"), policy, text(o.path("RecrawlPolicy"), "RecrawlBehavior").map(RecrawlBehavior::valueOf),
                text(o.path("LineageConfiguration"), "CrawlerLineageSettings"), lakeFormation, text(o, "Configuration"), text(o, "CrawlerSecurityConfiguration"));
    }

    private static Optional<String> text(JsonNode n, String member) {
        return n.hasNonNull(member) ? Optional.of(n.get(member).asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
