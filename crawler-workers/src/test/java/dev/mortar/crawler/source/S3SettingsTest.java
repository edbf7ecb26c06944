package dev.mortar.crawler.source;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mortar's S3 settings as the S3A options they become. */
class S3SettingsTest {
    @Test
    void settingsBecomeS3aOptionsAndS3IsMappedToS3a() {
        S3Settings settings = S3Settings.from(Map.of("mortar.s3.endpoint", "http://127.0.0.1:9000", "mortar.s3.path.style.access", "true",
                "mortar.s3.access.key", "AK", "mortar.s3.secret.key", "SK", "fs.s3a.connection.maximum", "7", "mortar.other", "x"));
        assertThat(settings.configured()).isTrue();
        Configuration conf = settings.applyTo(new Configuration(false));
        assertThat(conf.get("fs.s3.impl")).isEqualTo("org.apache.hadoop.fs.s3a.S3AFileSystem");
        assertThat(conf.get("fs.s3a.impl")).isEqualTo("org.apache.hadoop.fs.s3a.S3AFileSystem");
        assertThat(conf.get("fs.AbstractFileSystem.s3.impl")).isEqualTo("org.apache.hadoop.fs.s3a.S3A");
        assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(conf.get("fs.s3a.endpoint.region")).isEqualTo("us-east-1");
        assertThat(conf.getBoolean("fs.s3a.path.style.access", false)).isTrue();
        assertThat(conf.get("fs.s3a.access.key")).isEqualTo("AK");
        assertThat(conf.get("fs.s3a.secret.key")).isEqualTo("SK");
        assertThat(conf.get("fs.s3a.aws.credentials.provider")).isEqualTo("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        assertThat(conf.get("fs.s3a.connection.maximum")).isEqualTo("7");
    }

    @Test
    void withoutKeysTheDefaultCredentialChainAndS3aOptionsWinLast() {
        S3Settings settings = S3Settings.from(Map.of("mortar.s3.region", "eu-west-1", "fs.s3a.path.style.access", "true"));
        Configuration conf = settings.applyTo(new Configuration(false));
        assertThat(conf.get("fs.s3a.endpoint")).isNull();
        assertThat(conf.get("fs.s3a.endpoint.region")).isEqualTo("eu-west-1");
        assertThat(conf.get("fs.s3a.aws.credentials.provider")).isEqualTo("software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
        assertThat(conf.getBoolean("fs.s3a.path.style.access", false)).as("an fs.s3a option overrides mortar.s3.*").isTrue();
        assertThat(S3Settings.from(Map.of()).configured()).isFalse();
        assertThat(S3Settings.from(S3Settings.DEFAULTS).configured()).isFalse();
    }

    @Test
    void anAccessKeyWithoutItsSecretIsRefused() {
        assertThatThrownBy(() -> S3Settings.from(Map.of("mortar.s3.access.key", "AK")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mortar.s3.secret.key");
    }
}
