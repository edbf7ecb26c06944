package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wire-level behaviour: transports, unknown methods, legacy calls, and bad input that must not hurt the server. */
class ProtocolRobustnessTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.thrift.max.message.size", String.valueOf(1024 * 1024)));
        client = server.client();
        client.createDatabase(Fixtures.database("wire"));
        client.createTable(Fixtures.table("wire", "t"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static ThriftHiveMetastore.Client raw(TTransport transport) throws Exception {
        if (!transport.isOpen()) {
            transport.open();
        }
        return new ThriftHiveMetastore.Client(new TBinaryProtocol(transport));
    }

    @Test
    void bufferedFramedAndCompactTransportsOnOnePort() throws Exception {
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            assertThat(raw(socket).get_all_databases()).contains("default", "wire");
        }
        try (TFramedTransport framed = new TFramedTransport(new TSocket("127.0.0.1", server.server.thriftPort()))) {
            framed.open();
            assertThat(new ThriftHiveMetastore.Client(new TBinaryProtocol(framed)).get_database("wire").getName()).isEqualTo("wire");
        }
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            socket.open();
            assertThat(new ThriftHiveMetastore.Client(new TCompactProtocol(socket)).get_all_databases()).contains("wire");
        }
    }

    @Test
    void unimplementedMethodsAnswerAsAServerWithoutThem() throws Exception {
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            ThriftHiveMetastore.Client c = raw(socket);
            assertThatThrownBy(() -> c.get_partitions_by_expr(new org.apache.hadoop.hive.metastore.api.PartitionsByExprRequest("wire", "t", ByteBuffer.allocate(4))))
                    .isInstanceOf(TApplicationException.class)
                    .hasMessage("Invalid method name: 'get_partitions_by_expr'")
                    .satisfies(e -> assertThat(((TApplicationException) e).getType()).isEqualTo(TApplicationException.UNKNOWN_METHOD));
            // The connection stays usable after the error.
            assertThat(c.get_database("wire").getName()).isEqualTo("wire");
        }
    }

    /** Hive 3 and older clients (Spark's built-in Hive 2.3) call get_table, which the Hive 4 interface dropped. */
    @Test
    void legacyGetTableIsServed() throws Exception {
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            socket.open();
            TProtocol p = new TBinaryProtocol(socket);
            p.writeMessageBegin(new TMessage("get_table", TMessageType.CALL, 7));
            p.writeStructBegin(new TStruct("get_table_args"));
            p.writeFieldBegin(new TField("dbname", TType.STRING, (short) 1));
            p.writeString("WIRE");
            p.writeFieldEnd();
            p.writeFieldBegin(new TField("tbl_name", TType.STRING, (short) 2));
            p.writeString("t");
            p.writeFieldEnd();
            p.writeFieldStop();
            p.writeStructEnd();
            p.writeMessageEnd();
            socket.flush();
            TMessage reply = p.readMessageBegin();
            assertThat(reply.type).isEqualTo(TMessageType.REPLY);
            assertThat(reply.seqid).isEqualTo(7);
            p.readStructBegin();
            TField field = p.readFieldBegin();
            assertThat(field.id).isEqualTo((short) 0);
            Table table = new Table();
            table.read(p);
            assertThat(table.getTableName()).isEqualTo("t");
            assertThat(table.getDbName()).isEqualTo("wire");
        }
    }

    @Test
    void garbageTruncatedAndOversizedInputCloseOnlyThatConnection() throws Exception {
        int port = server.server.thriftPort();
        // Garbage that is neither a binary, compact nor framed message.
        assertConnectionClosed(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        // A strict binary header with an unknown version.
        assertConnectionClosed(port, new byte[] {(byte) 0x80, 0x05, 0, 1, 0, 0, 0, 1, 'x', 0, 0, 0, 0});
        // A frame announcing 100 MB, over the 1 MB limit.
        assertConnectionClosed(port, ByteBuffer.allocate(8).putInt(100 * 1024 * 1024).putInt(0).array());
        // A binary message whose string length runs past what is sent, then the client hangs up.
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 0x80, 0x01, 0, 1, 0, 0, 0, 12, 'g', 'e', 't', '_', 'd', 'a', 't', 'a'});
            out.flush();
        }
        // A string length over the limit on an unframed connection.
        assertConnectionClosed(port, new byte[] {(byte) 0x80, 0x01, 0, 1, 0x7f, 0, 0, 0});
        // The server keeps serving everyone else, and nothing changed.
        assertThat(client.getAllDatabases()).containsExactly("default", "wire");
        assertThat(client.getAllTables("wire")).containsExactly("t");
    }

    private static void assertConnectionClosed(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[1024];
            int n;
            do {
                n = in.read(buffer);
            } while (n > 0);
            assertThat(n).isEqualTo(-1);
        } catch (java.net.SocketException e) {
            // A reset also means the server closed the connection.
        }
    }

    @Test
    void missingFieldsAndInvalidNamesGetTypedErrorsAndChangeNothing() throws Exception {
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            ThriftHiveMetastore.Client c = raw(socket);
            List<String> databases = c.get_all_databases();
            assertThatThrownBy(() -> c.create_database(new Database())).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidObjectException.class);
            assertThatThrownBy(() -> c.create_table(new Table())).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidObjectException.class);
            Table noDb = Fixtures.table(null, "t");
            assertThatThrownBy(() -> c.create_table(noDb)).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidObjectException.class);
            Table longName = Fixtures.table("wire", "t".repeat(300));
            assertThatThrownBy(() -> c.create_table(longName)).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidObjectException.class);
            org.apache.hadoop.hive.metastore.api.Partition noValues = new org.apache.hadoop.hive.metastore.api.Partition();
            noValues.setDbName("wire");
            noValues.setTableName("t");
            assertThatThrownBy(() -> c.add_partition(noValues)).isInstanceOf(org.apache.hadoop.hive.metastore.api.MetaException.class);
            assertThatThrownBy(() -> c.get_partitions_by_filter("wire", "t", "((a = ", (short) -1)).isInstanceOf(org.apache.hadoop.hive.metastore.api.MetaException.class);
            assertThatThrownBy(() -> c.alter_table("wire", "t", null)).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidOperationException.class);
            assertThat(c.get_all_databases()).isEqualTo(databases);
            assertThat(c.get_all_tables("wire")).containsExactly("t");
        }
    }

    /** The size limit is per message: a long-lived connection may carry any amount of traffic. */
    @Test
    void longLivedConnectionsAreNotLimitedByTheirTotalTraffic() throws Exception {
        String big = "x".repeat(50_000);
        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
            ThriftHiveMetastore.Client c = raw(socket);
            for (int i = 0; i < 60; i++) {
                Table t = c.get_table_req(new org.apache.hadoop.hive.metastore.api.GetTableRequest("wire", "t")).getTable();
                t.getParameters().put("blob", big + i);
                c.alter_table("wire", "t", t);
            }
            assertThat(c.get_table_req(new org.apache.hadoop.hive.metastore.api.GetTableRequest("wire", "t")).getTable().getParameters().get("blob")).endsWith("59");
        }
    }

    @Test
    void manyShortConnectionsAndConcurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int j = 0; j < 50; j++) {
                        try (TSocket socket = new TSocket("127.0.0.1", server.server.thriftPort())) {
                            Database db = raw(socket).get_database("wire");
                            if (db.getName().equals("wire")) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(50);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthAndMetricsOnTheHttpPort() throws Exception {
        client.getAllDatabases();
        var http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.server.httpPort() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.server.httpPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("mortar_hms_call_duration_seconds_count{method=\"get_all_databases\"}")
                .contains("mortar_hms_open_connections");
    }
}
