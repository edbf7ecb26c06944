package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TCloseOperationReq;
import org.apache.hive.service.rpc.thrift.TCloseSessionReq;
import org.apache.hive.service.rpc.thrift.TExecuteStatementReq;
import org.apache.hive.service.rpc.thrift.TExecuteStatementResp;
import org.apache.hive.service.rpc.thrift.TFetchOrientation;
import org.apache.hive.service.rpc.thrift.TFetchResultsReq;
import org.apache.hive.service.rpc.thrift.TFetchResultsResp;
import org.apache.hive.service.rpc.thrift.TGetInfoReq;
import org.apache.hive.service.rpc.thrift.TGetInfoType;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusReq;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusResp;
import org.apache.hive.service.rpc.thrift.TGetResultSetMetadataReq;
import org.apache.hive.service.rpc.thrift.TOpenSessionReq;
import org.apache.hive.service.rpc.thrift.TOpenSessionResp;
import org.apache.hive.service.rpc.thrift.TOperationHandle;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TProtocolVersion;
import org.apache.hive.service.rpc.thrift.TSessionHandle;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.hive.service.rpc.thrift.TTypeId;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCLIService calls at the wire level, with Hive's generated client (hive-service-rpc): the details a
 * JDBC driver hides — fetch sizes, FETCH_FIRST, synchronous execution, null bitmaps, handle errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayProtocolTest {
    private TestServer server;
    private TSocket socket;
    private TCLIService.Client client;
    private TSessionHandle session;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.fetch.max.rows", "1000"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    @BeforeEach
    void open() throws Exception {
        socket = new TSocket("127.0.0.1", server.server.gatewayPort());
        socket.open();
        client = new TCLIService.Client(new TBinaryProtocol(socket));
        TOpenSessionReq req = new TOpenSessionReq(TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10);
        req.setUsername("wire");
        req.setConfiguration(Map.of("use:database", "default", "set:hiveconf:hive.query.timeout.seconds", "60"));
        TOpenSessionResp resp = client.OpenSession(req);
        assertThat(resp.getStatus().getStatusCode()).isEqualTo(TStatusCode.SUCCESS_STATUS);
        assertThat(resp.getServerProtocolVersion()).isEqualTo(TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10);
        assertThat(resp.getConfiguration()).containsEntry("hive.server2.thrift.resultset.default.fetch.size", "10000");
        session = resp.getSessionHandle();
    }

    @AfterEach
    void close() throws Exception {
        client.CloseSession(new TCloseSessionReq(session));
        socket.close();
    }

    private TOperationHandle execute(String sql, boolean async) throws Exception {
        TExecuteStatementReq req = new TExecuteStatementReq(session, sql);
        req.setRunAsync(async);
        TExecuteStatementResp resp = client.ExecuteStatement(req);
        assertThat(resp.getStatus().getStatusCode()).as(resp.getStatus().toString()).isEqualTo(TStatusCode.SUCCESS_STATUS);
        return resp.getOperationHandle();
    }

    private TFetchResultsResp fetch(TOperationHandle op, TFetchOrientation orientation, long maxRows) throws Exception {
        return client.FetchResults(new TFetchResultsReq(op, orientation, maxRows));
    }

    private static List<Long> longs(TFetchResultsResp resp) {
        assertThat(resp.getStatus().getStatusCode()).as(resp.getStatus().toString()).isEqualTo(TStatusCode.SUCCESS_STATUS);
        assertThat(resp.getResults().getRows()).isEmpty();
        return resp.getResults().getColumns().get(0).getI64Val().getValues();
    }

    @Test
    void fetchSizeIsHonouredAndFetchFirstRestarts() throws Exception {
        TOperationHandle op = execute("SELECT range AS n FROM range(25)", false);
        assertThat(op.isHasResultSet()).isTrue();
        TGetOperationStatusResp status = client.GetOperationStatus(new TGetOperationStatusReq(op));
        assertThat(status.getOperationState()).isEqualTo(TOperationState.FINISHED_STATE);
        var schema = client.GetResultSetMetadata(new TGetResultSetMetadataReq(op)).getSchema();
        assertThat(schema.getColumns()).hasSize(1);
        assertThat(schema.getColumns().get(0).getColumnName()).isEqualTo("n");
        assertThat(schema.getColumns().get(0).getTypeDesc().getTypes().get(0).getPrimitiveEntry().getType()).isEqualTo(TTypeId.BIGINT_TYPE);

        assertThat(longs(fetch(op, TFetchOrientation.FETCH_NEXT, 10))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(longs(fetch(op, TFetchOrientation.FETCH_NEXT, 10))).hasSize(10).startsWith(10L);
        assertThat(longs(fetch(op, TFetchOrientation.FETCH_NEXT, 10))).containsExactly(20L, 21L, 22L, 23L, 24L);
        assertThat(longs(fetch(op, TFetchOrientation.FETCH_NEXT, 10))).isEmpty();
        assertThat(longs(fetch(op, TFetchOrientation.FETCH_FIRST, 3))).containsExactly(0L, 1L, 2L);
        assertThat(longs(fetch(op, TFetchOrientation.FETCH_NEXT, 2))).containsExactly(3L, 4L);
        // the server's most rows per fetch caps what a client asks
        TOperationHandle big = execute("SELECT range FROM range(5000)", false);
        assertThat(longs(fetch(big, TFetchOrientation.FETCH_NEXT, 1_000_000))).hasSize(1000);

        TFetchResultsResp prior = fetch(op, TFetchOrientation.FETCH_PRIOR, 1);
        assertThat(prior.getStatus().getStatusCode()).isEqualTo(TStatusCode.ERROR_STATUS);
        assertThat(prior.getStatus().getSqlState()).isEqualTo("0A000");

        assertThat(client.CloseOperation(new TCloseOperationReq(op)).getStatus().getStatusCode()).isEqualTo(TStatusCode.SUCCESS_STATUS);
        TFetchResultsResp closed = fetch(op, TFetchOrientation.FETCH_NEXT, 10);
        assertThat(closed.getStatus().getStatusCode()).isEqualTo(TStatusCode.ERROR_STATUS);
        assertThat(closed.getStatus().getErrorMessage()).startsWith("Invalid OperationHandle");
    }

    @Test
    void nullsTravelInTheColumnBitmap() throws Exception {
        TOperationHandle op = execute("SELECT CASE WHEN range % 2 = 0 THEN NULL ELSE 'v' || range END AS s FROM range(4)", false);
        TFetchResultsResp resp = fetch(op, TFetchOrientation.FETCH_NEXT, 100);
        var column = resp.getResults().getColumns().get(0).getStringVal();
        assertThat(column.getValues()).containsExactly("", "v1", "", "v3");
        assertThat(column.getNulls()).containsExactly((byte) 0b0101);
    }

    @Test
    void asyncErrorsArriveInTheOperationStatusAndSyncErrorsInTheResponse() throws Exception {
        TOperationHandle op = execute("SELECT * FROM default.missing_table", true);
        TGetOperationStatusResp status;
        do {
            status = client.GetOperationStatus(new TGetOperationStatusReq(op));
        } while (status.getOperationState() == TOperationState.PENDING_STATE || status.getOperationState() == TOperationState.RUNNING_STATE);
        assertThat(status.getOperationState()).isEqualTo(TOperationState.ERROR_STATE);
        assertThat(status.getSqlState()).isEqualTo("42S02");
        assertThat(status.getErrorMessage()).isEqualTo("Table not found: default.missing_table");

        TExecuteStatementReq bad = new TExecuteStatementReq(session, "SELECT FROM WHERE");
        bad.setRunAsync(false);
        TExecuteStatementResp resp = client.ExecuteStatement(bad);
        assertThat(resp.getStatus().getStatusCode()).isEqualTo(TStatusCode.ERROR_STATUS);
        assertThat(resp.getStatus().getSqlState()).isEqualTo("42000");
        assertThat(resp.getStatus().getErrorMessage()).contains("syntax error");

        assertThat(longs(fetch(execute("SELECT 7::BIGINT", false), TFetchOrientation.FETCH_NEXT, 10))).containsExactly(7L);
        assertThat(client.GetInfo(new TGetInfoReq(session, TGetInfoType.CLI_DBMS_NAME)).getInfoValue().getStringValue()).isEqualTo("Mortar");
    }

    @Test
    void aClosedOrForgedSessionIsRefused() throws Exception {
        TSessionHandle forged = new TSessionHandle(session.getSessionId().deepCopy());
        forged.getSessionId().setSecret(new byte[16]);
        TExecuteStatementResp resp = client.ExecuteStatement(new TExecuteStatementReq(forged, "SELECT 1"));
        assertThat(resp.getStatus().getStatusCode()).isEqualTo(TStatusCode.ERROR_STATUS);
        assertThat(resp.getStatus().getErrorMessage()).startsWith("Invalid SessionHandle");
    }
}
