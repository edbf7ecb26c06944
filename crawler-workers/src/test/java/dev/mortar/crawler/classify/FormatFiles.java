package dev.mortar.crawler.classify;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Lz4Codec;
import org.apache.hadoop.io.compress.SnappyCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Files of every format and compression, written with the formats' own libraries. */
final class FormatFiles {
    private FormatFiles() {}

    /** An Avro writer schema with every kind of type: primitives, logical types, a nested record, array, map, enum, fixed and unions. */
    static final Schema AVRO_SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "qty", "type": "int"},
              {"name": "Customer", "type": "string"},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "created", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "updated", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}], "default": null},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "paid", "type": "boolean"},
              {"name": "payload", "type": "bytes"},
              {"name": "hash", "type": {"type": "fixed", "name": "Md5", "size": 16}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "DONE"]}},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "int"], "default": null}]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attrs", "type": {"type": "map", "values": "double"}},
              {"name": "either", "type": ["null", "int", "string"], "default": null},
              {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}}
            ]}""");

    static Path avro(Path file, int rows) throws IOException {
        Files.createDirectories(file.getParent());
        Schema address = AVRO_SCHEMA.getField("address").schema();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(AVRO_SCHEMA))) {
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.create(AVRO_SCHEMA, file.toFile());
            for (int i = 0; i < rows; i++) {
                GenericRecord r = new GenericData.Record(AVRO_SCHEMA);
                r.put("id", (long) i);
                r.put("qty", i);
                r.put("Customer", "c" + i);
                r.put("note", i % 2 == 0 ? null : "n");
                r.put("price", ByteBuffer.wrap(new byte[] {0x04, (byte) 0xd2}));
                r.put("day", 19000 + i);
                r.put("created", 1_700_000_000_000L + i);
                r.put("updated", null);
                r.put("ratio", 0.5f);
                r.put("score", 1.5);
                r.put("paid", true);
                r.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
                r.put("hash", new GenericData.Fixed(AVRO_SCHEMA.getField("hash").schema(), new byte[16]));
                r.put("status", new GenericData.EnumSymbol(AVRO_SCHEMA.getField("status").schema(), "NEW"));
                GenericRecord a = new GenericData.Record(address);
                a.put("city", "x");
                a.put("zip", i);
                r.put("address", a);
                r.put("tags", List.of("a", "b"));
                r.put("attrs", Map.of("k", 1.0));
                r.put("either", i % 2 == 0 ? (Object) i : "s");
                r.put("uuid", "6f1c8a54-3b0e-4a8e-9d55-0a1f7c1b2d3e");
                writer.append(r);
            }
        }
        return file;
    }

    /** An ORC schema with primitives, decimal, char/varchar, date/timestamp, and nested list, map, struct and union. */
    static final TypeDescription ORC_SCHEMA = TypeDescription.fromString("struct<id:bigint,Name:string,price:decimal(10,2),day:date,ts:timestamp,"
            + "flag:boolean,tiny:tinyint,small:smallint,i:int,f:float,d:double,bin:binary,code:char(3),label:varchar(20),"
            + "tags:array<string>,attrs:map<string,int>,addr:struct<city:string,zip:int>,u:uniontype<int,string>>");

    static Path orc(Path file, int rows, CompressionKind compression) throws IOException {
        Files.createDirectories(file.getParent());
        Configuration conf = new Configuration();
        try (Writer writer = OrcFile.createWriter(new org.apache.hadoop.fs.Path(file.toUri()),
                OrcFile.writerOptions(conf).setSchema(ORC_SCHEMA).compress(compression))) {
            VectorizedRowBatch batch = ORC_SCHEMA.createRowBatch();
            for (ColumnVector column : batch.cols) {
                column.noNulls = false;
                Arrays.fill(column.isNull, true);
            }
            LongColumnVector id = (LongColumnVector) batch.cols[0];
            BytesColumnVector name = (BytesColumnVector) batch.cols[1];
            id.noNulls = true;
            name.noNulls = true;
            for (int r = 0; r < rows; r++) {
                id.vector[r] = r;
                id.isNull[r] = false;
                name.setVal(r, ("name" + r).getBytes(StandardCharsets.UTF_8));
                name.isNull[r] = false;
            }
            batch.size = rows;
            writer.addRowBatch(batch);
        }
        return file;
    }

    /** The same text in each whole-file compression, written by the libraries (and Hadoop codec) that usually write it. */
    enum Packing { NONE, GZIP, BZIP2, FRAMED_SNAPPY, HADOOP_SNAPPY, LZ4, HADOOP_LZ4, ZSTD, ZIP }

    static Path packed(Path file, String content, Packing packing) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (OutputStream raw = Files.newOutputStream(file)) {
            switch (packing) {
                case NONE -> raw.write(bytes);
                case GZIP -> {
                    try (OutputStream out = new GZIPOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case BZIP2 -> {
                    try (OutputStream out = new BZip2CompressorOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case FRAMED_SNAPPY -> {
                    try (OutputStream out = new SnappyFramedOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case HADOOP_SNAPPY -> {
                    SnappyCodec codec = ReflectionUtils.newInstance(SnappyCodec.class, new Configuration());
                    try (CompressionOutputStream out = codec.createOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case HADOOP_LZ4 -> {
                    Lz4Codec codec = ReflectionUtils.newInstance(Lz4Codec.class, new Configuration());
                    try (CompressionOutputStream out = codec.createOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case LZ4 -> {
                    try (OutputStream out = new FramedLZ4CompressorOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case ZSTD -> {
                    try (OutputStream out = new ZstdOutputStream(raw)) {
                        out.write(bytes);
                    }
                }
                case ZIP -> {
                    try (ZipOutputStream out = new ZipOutputStream(raw)) {
                        out.putNextEntry(new ZipEntry("data.csv"));
                        out.write(bytes);
                        out.closeEntry();
                    }
                }
            }
        }
        return file;
    }
}
