package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayException;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.TableName;
import dev.mortar.gateway.engine.FunctionInfo;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TCancelDelegationTokenReq;
import org.apache.hive.service.rpc.thrift.TCancelDelegationTokenResp;
import org.apache.hive.service.rpc.thrift.TCancelOperationReq;
import org.apache.hive.service.rpc.thrift.TCancelOperationResp;
import org.apache.hive.service.rpc.thrift.TCloseOperationReq;
import org.apache.hive.service.rpc.thrift.TCloseOperationResp;
import org.apache.hive.service.rpc.thrift.TCloseSessionReq;
import org.apache.hive.service.rpc.thrift.TCloseSessionResp;
import org.apache.hive.service.rpc.thrift.TDownloadDataReq;
import org.apache.hive.service.rpc.thrift.TDownloadDataResp;
import org.apache.hive.service.rpc.thrift.TExecuteStatementReq;
import org.apache.hive.service.rpc.thrift.TExecuteStatementResp;
import org.apache.hive.service.rpc.thrift.TFetchOrientation;
import org.apache.hive.service.rpc.thrift.TFetchResultsReq;
import org.apache.hive.service.rpc.thrift.TFetchResultsResp;
import org.apache.hive.service.rpc.thrift.TGetCatalogsReq;
import org.apache.hive.service.rpc.thrift.TGetCatalogsResp;
import org.apache.hive.service.rpc.thrift.TGetColumnsReq;
import org.apache.hive.service.rpc.thrift.TGetColumnsResp;
import org.apache.hive.service.rpc.thrift.TGetCrossReferenceReq;
import org.apache.hive.service.rpc.thrift.TGetCrossReferenceResp;
import org.apache.hive.service.rpc.thrift.TGetDelegationTokenReq;
import org.apache.hive.service.rpc.thrift.TGetDelegationTokenResp;
import org.apache.hive.service.rpc.thrift.TGetFunctionsReq;
import org.apache.hive.service.rpc.thrift.TGetFunctionsResp;
import org.apache.hive.service.rpc.thrift.TGetInfoReq;
import org.apache.hive.service.rpc.thrift.TGetInfoResp;
import org.apache.hive.service.rpc.thrift.TGetInfoValue;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusReq;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusResp;
import org.apache.hive.service.rpc.thrift.TGetPrimaryKeysReq;
import org.apache.hive.service.rpc.thrift.TGetPrimaryKeysResp;
import org.apache.hive.service.rpc.thrift.TGetQueryIdReq;
import org.apache.hive.service.rpc.thrift.TGetQueryIdResp;
import org.apache.hive.service.rpc.thrift.TGetResultSetMetadataReq;
import org.apache.hive.service.rpc.thrift.TGetResultSetMetadataResp;
import org.apache.hive.service.rpc.thrift.TGetSchemasReq;
import org.apache.hive.service.rpc.thrift.TGetSchemasResp;
import org.apache.hive.service.rpc.thrift.TGetTableTypesReq;
import org.apache.hive.service.rpc.thrift.TGetTableTypesResp;
import org.apache.hive.service.rpc.thrift.TGetTablesReq;
import org.apache.hive.service.rpc.thrift.TGetTablesResp;
import org.apache.hive.service.rpc.thrift.TGetTypeInfoReq;
import org.apache.hive.service.rpc.thrift.TGetTypeInfoResp;
import org.apache.hive.service.rpc.thrift.TOpenSessionReq;
import org.apache.hive.service.rpc.thrift.TOpenSessionResp;
import org.apache.hive.service.rpc.thrift.TOperationHandle;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TOperationType;
import org.apache.hive.service.rpc.thrift.TRenewDelegationTokenReq;
import org.apache.hive.service.rpc.thrift.TRenewDelegationTokenResp;
import org.apache.hive.service.rpc.thrift.TSessionHandle;
import org.apache.hive.service.rpc.thrift.TSetClientInfoReq;
import org.apache.hive.service.rpc.thrift.TSetClientInfoResp;
import org.apache.hive.service.rpc.thrift.TStatus;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.hive.service.rpc.thrift.TTableSchema;
import org.apache.hive.service.rpc.thrift.TUploadDataReq;
import org.apache.hive.service.rpc.thrift.TUploadDataResp;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HiveServer2's TCLIService for one connection (binary) or request (HTTP). Every failure becomes the
 * response's error status with a SQLSTATE; the connection and the session stay usable.
 */
public final class CliService implements TCLIService.Iface {
    private static final Logger LOG = LoggerFactory.getLogger(CliService.class);
    private static final long STATUS_LONG_POLL_MILLIS = 1000;
    private static final String FETCH_SIZE_KEY = "hive.server2.thrift.resultset.default.fetch.size";

    private final GatewayService service;
    private final ConnectionContext connection;

    public CliService(GatewayService service, ConnectionContext connection) {
        this.service = service;
        this.connection = connection;
    }

    static TStatus ok() {
        return new TStatus(TStatusCode.SUCCESS_STATUS);
    }

    private static TStatus error(RuntimeException failure) {
        GatewayException e = toGateway(failure);
        TStatus status = new TStatus(TStatusCode.ERROR_STATUS);
        status.setSqlState(e.sqlState());
        status.setErrorCode(0);
        status.setErrorMessage(e.getMessage());
        return status;
    }

    private static GatewayException toGateway(RuntimeException failure) {
        if (failure instanceof GatewayException g) {
            return g;
        }
        if (failure instanceof CatalogException c) {
            return new GatewayException(GatewayException.CATALOG_UNAVAILABLE, c.getMessage(), c);
        }
        LOG.warn("Internal error in the query gateway", failure);
        return new GatewayException(GatewayException.INTERNAL, GatewayException.internal(failure), failure);
    }

    private static TOperationHandle handle(Operation operation) {
        TOperationHandle handle = new TOperationHandle(operation.handle().toThrift(), operation.type(), operation.hasResultSet());
        return handle;
    }

    @Override
    public TOpenSessionResp OpenSession(TOpenSessionReq req) {
        TOpenSessionResp resp = new TOpenSessionResp(ok(), GatewayService.MAX_PROTOCOL);
        try {
            String user = authenticate(req);
            Session session = service.openSession(user, req.getClient_protocol());
            try {
                configure(session, req.getConfiguration());
            } catch (RuntimeException e) {
                service.closeSession(session);
                throw e;
            }
            resp.setServerProtocolVersion(session.protocol());
            resp.setSessionHandle(new TSessionHandle(session.handle().toThrift()));
            Map<String, String> configuration = new HashMap<>();
            configuration.put(FETCH_SIZE_KEY, String.valueOf(service.config().defaultFetchRows()));
            resp.setConfiguration(configuration);
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    private String authenticate(TOpenSessionReq req) {
        if (connection.authenticatedUser().isPresent()) {
            return connection.authenticatedUser().get();
        }
        String user = req.getUsername() == null || req.getUsername().isBlank() ? "anonymous" : req.getUsername();
        if (service.users().requiresPassword() && !service.users().authenticate(user, req.getPassword())) {
            LOG.info("Refused a session for user {} from {}: wrong user name or password", user, connection.peer());
            throw new GatewayException("28000", "Authentication failed for user " + user + ": wrong user name or password");
        }
        return user;
    }

    private void configure(Session session, Map<String, String> configuration) {
        if (configuration == null) {
            return;
        }
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (key.equals("use:database")) {
                String database = value.toLowerCase(Locale.ROOT);
                if (!GatewayService.catalogCall(() -> service.catalog().databaseExists(database))) {
                    throw new GatewayException(GatewayException.SCHEMA_NOT_FOUND, "Database not found: " + database);
                }
                session.useDatabase(database);
            } else if (key.startsWith("set:")) {
                String name = key.substring("set:".length());
                for (String prefix : List.of("hiveconf:", "hivevar:", "system:")) {
                    if (name.startsWith(prefix)) {
                        name = name.substring(prefix.length());
                    }
                }
                session.configuration().put(name, value);
            } else {
                session.configuration().put(key, value);
            }
        }
    }

    @Override
    public TCloseSessionResp CloseSession(TCloseSessionReq req) {
        try {
            service.closeSession(service.session(req.getSessionHandle()));
            return new TCloseSessionResp(ok());
        } catch (RuntimeException e) {
            return new TCloseSessionResp(error(e));
        }
    }

    @Override
    public TGetInfoResp GetInfo(TGetInfoReq req) {
        try {
            Session session = service.session(req.getSessionHandle());
            TGetInfoValue value = switch (req.getInfoType()) {
                case CLI_SERVER_NAME, CLI_DBMS_NAME -> TGetInfoValue.stringValue("Mortar");
                case CLI_DBMS_VER -> TGetInfoValue.stringValue(version());
                case CLI_USER_NAME -> TGetInfoValue.stringValue(session.user());
                case CLI_IDENTIFIER_QUOTE_CHAR -> TGetInfoValue.stringValue("\"");
                case CLI_ODBC_KEYWORDS -> TGetInfoValue.stringValue("");
                case CLI_DATA_SOURCE_READ_ONLY -> TGetInfoValue.stringValue("Y");
                case CLI_MAX_COLUMN_NAME_LEN, CLI_MAX_SCHEMA_NAME_LEN, CLI_MAX_TABLE_NAME_LEN -> TGetInfoValue.lenValue(128);
                case CLI_TXN_CAPABLE -> TGetInfoValue.smallIntValue((short) 0);
                default -> throw new GatewayException(GatewayException.NOT_SUPPORTED, "GetInfo " + req.getInfoType() + " is not supported");
            };
            return new TGetInfoResp(ok(), value);
        } catch (RuntimeException e) {
            return new TGetInfoResp(error(e), TGetInfoValue.stringValue(""));
        }
    }

    private volatile String version;

    private String version() {
        if (version == null) {
            version = "0.1.0 (" + service.engine().version() + ")";
        }
        return version;
    }

    @Override
    public TExecuteStatementResp ExecuteStatement(TExecuteStatementReq req) {
        TExecuteStatementResp resp = new TExecuteStatementResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            if (req.getStatement() == null || req.getStatement().isBlank()) {
                throw new GatewayException(GatewayException.SYNTAX_ERROR, "Empty statement");
            }
            long timeout = req.isSetQueryTimeout() ? Math.max(0, req.getQueryTimeout()) : 0;
            Operation operation = service.executeStatement(session, req.getStatement(), req.getConfOverlay(), timeout);
            if (!req.isRunAsync()) {
                TOperationState state;
                do {
                    state = operation.awaitCompletion(60_000);
                } while (Operation.isActive(state));
                if (state != TOperationState.FINISHED_STATE) {
                    GatewayException failure = operation.error().orElseGet(() ->
                            new GatewayException(GatewayException.INTERNAL, "Query ended in state " + operation.state()));
                    service.closeOperation(operation);
                    throw failure;
                }
            }
            resp.setOperationHandle(handle(operation));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetOperationStatusResp GetOperationStatus(TGetOperationStatusReq req) {
        TGetOperationStatusResp resp = new TGetOperationStatusResp(ok());
        try {
            Operation operation = service.operation(req.getOperationHandle());
            // long poll, so that clients polling in a loop (the Hive JDBC driver does) do not spin
            TOperationState state = operation.awaitCompletion(STATUS_LONG_POLL_MILLIS);
            resp.setOperationState(state);
            resp.setOperationStarted(operation.createdMillis());
            resp.setHasResultSet(operation.hasResultSet());
            if (state == TOperationState.ERROR_STATE || state == TOperationState.CANCELED_STATE || state == TOperationState.TIMEDOUT_STATE) {
                operation.error().ifPresent(e -> {
                    resp.setSqlState(e.sqlState());
                    resp.setErrorCode(0);
                    resp.setErrorMessage(e.getMessage());
                });
            }
            if (!Operation.isActive(state)) {
                resp.setOperationCompleted(System.currentTimeMillis());
            }
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TCancelOperationResp CancelOperation(TCancelOperationReq req) {
        try {
            service.operation(req.getOperationHandle()).cancel();
            return new TCancelOperationResp(ok());
        } catch (RuntimeException e) {
            return new TCancelOperationResp(error(e));
        }
    }

    @Override
    public TCloseOperationResp CloseOperation(TCloseOperationReq req) {
        try {
            service.closeOperation(service.operation(req.getOperationHandle()));
            return new TCloseOperationResp(ok());
        } catch (RuntimeException e) {
            return new TCloseOperationResp(error(e));
        }
    }

    @Override
    public TGetResultSetMetadataResp GetResultSetMetadata(TGetResultSetMetadataReq req) {
        TGetResultSetMetadataResp resp = new TGetResultSetMetadataResp(ok());
        try {
            Operation operation = service.operation(req.getOperationHandle());
            TTableSchema schema = new TTableSchema(new ArrayList<>());
            List<ResultColumn> columns = operation.schema();
            for (int i = 0; i < columns.size(); i++) {
                schema.addToColumns(columns.get(i).toDesc(i + 1));
            }
            resp.setSchema(schema);
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TFetchResultsResp FetchResults(TFetchResultsReq req) {
        TFetchResultsResp resp = new TFetchResultsResp(ok());
        try {
            Operation operation = service.operation(req.getOperationHandle());
            TFetchOrientation orientation = req.getOrientation() == null ? TFetchOrientation.FETCH_NEXT : req.getOrientation();
            if (orientation != TFetchOrientation.FETCH_NEXT && orientation != TFetchOrientation.FETCH_FIRST) {
                throw new GatewayException(GatewayException.NOT_SUPPORTED, "Fetch orientation " + orientation + " is not supported; use FETCH_NEXT or FETCH_FIRST");
            }
            boolean fromStart = orientation == TFetchOrientation.FETCH_FIRST;
            long asked = req.getMaxRows() <= 0 ? service.config().defaultFetchRows() : req.getMaxRows();
            int maxRows = (int) Math.min(asked, service.config().maxFetchRows());
            resp.setResults(req.getFetchType() == 1 ? operation.fetchLog(maxRows, fromStart) : operation.fetch(maxRows, fromStart));
            resp.setHasMoreRows(false);
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetTypeInfoResp GetTypeInfo(TGetTypeInfoReq req) {
        TGetTypeInfoResp resp = new TGetTypeInfoResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_TYPE_INFO, MetadataResults::typeInfo)));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetCatalogsResp GetCatalogs(TGetCatalogsReq req) {
        TGetCatalogsResp resp = new TGetCatalogsResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_CATALOGS, MetadataResults::catalogs)));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetSchemasResp GetSchemas(TGetSchemasReq req) {
        TGetSchemasResp resp = new TGetSchemasResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_SCHEMAS,
                    () -> MetadataResults.schemas(service.catalog(), req.getSchemaName()))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetTablesResp GetTables(TGetTablesReq req) {
        TGetTablesResp resp = new TGetTablesResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_TABLES,
                    () -> MetadataResults.tables(service.catalog(), req.getSchemaName(), req.getTableName(), req.getTableTypes()))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetTableTypesResp GetTableTypes(TGetTableTypesReq req) {
        TGetTableTypesResp resp = new TGetTableTypesResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_TABLE_TYPES, MetadataResults::tableTypes)));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetColumnsResp GetColumns(TGetColumnsReq req) {
        TGetColumnsResp resp = new TGetColumnsResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_COLUMNS,
                    () -> MetadataResults.columns(service.catalog(), req.getSchemaName(), req.getTableName(), req.getColumnName()))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetFunctionsResp GetFunctions(TGetFunctionsReq req) {
        TGetFunctionsResp resp = new TGetFunctionsResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            Pattern names = MetadataResults.pattern(req.getFunctionName());
            List<Object[]> rows = new ArrayList<>();
            for (FunctionInfo f : service.functions()) {
                if (names.matcher(f.name()).matches()) {
                    rows.add(new Object[] {null, null, f.name(), f.description(),
                            f.returnsTable() ? DatabaseMetaData.functionReturnsTable : DatabaseMetaData.functionNoTable, f.name()});
                }
            }
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_FUNCTIONS,
                    () -> new MetadataResults.Result(MetadataResults.functionColumns(), rows))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetPrimaryKeysResp GetPrimaryKeys(TGetPrimaryKeysReq req) {
        TGetPrimaryKeysResp resp = new TGetPrimaryKeysResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            String schema = req.getSchemaName() == null ? session.currentDatabase() : req.getSchemaName();
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_FUNCTIONS,
                    () -> MetadataResults.primaryKeys(service.catalog(), schema, req.getTableName()))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    @Override
    public TGetCrossReferenceResp GetCrossReference(TGetCrossReferenceReq req) {
        TGetCrossReferenceResp resp = new TGetCrossReferenceResp(ok());
        try {
            Session session = service.session(req.getSessionHandle());
            Optional<TableName> parent = tableName(req.getParentSchemaName(), req.getParentTableName(), session);
            Optional<TableName> foreign = tableName(req.getForeignSchemaName(), req.getForeignTableName(), session);
            resp.setOperationHandle(handle(service.metadata(session, TOperationType.GET_FUNCTIONS,
                    () -> MetadataResults.crossReference(service.catalog(), parent, foreign))));
        } catch (RuntimeException e) {
            resp.setStatus(error(e));
        }
        return resp;
    }

    private static Optional<TableName> tableName(String schema, String table, Session session) {
        if (table == null || table.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableName(schema == null || schema.isEmpty() ? session.currentDatabase() : schema, table));
    }

    private static TStatus notSupported(String what) {
        return error(new GatewayException(GatewayException.NOT_SUPPORTED, what + " is not supported by the Mortar query gateway"));
    }

    @Override
    public TGetDelegationTokenResp GetDelegationToken(TGetDelegationTokenReq req) {
        return new TGetDelegationTokenResp(notSupported("GetDelegationToken"));
    }

    @Override
    public TCancelDelegationTokenResp CancelDelegationToken(TCancelDelegationTokenReq req) {
        return new TCancelDelegationTokenResp(notSupported("CancelDelegationToken"));
    }

    @Override
    public TRenewDelegationTokenResp RenewDelegationToken(TRenewDelegationTokenReq req) {
        return new TRenewDelegationTokenResp(notSupported("RenewDelegationToken"));
    }

    @Override
    public TGetQueryIdResp GetQueryId(TGetQueryIdReq req) throws TException {
        try {
            return new TGetQueryIdResp(service.operation(req.getOperationHandle()).handle().id().toString());
        } catch (RuntimeException e) {
            throw new TException(toGateway(e).getMessage());
        }
    }

    @Override
    public TSetClientInfoResp SetClientInfo(TSetClientInfoReq req) {
        try {
            Session session = service.session(req.getSessionHandle());
            if (req.getConfiguration() != null) {
                req.getConfiguration().forEach((k, v) -> session.configuration().put("client." + k, v));
            }
            return new TSetClientInfoResp(ok());
        } catch (RuntimeException e) {
            return new TSetClientInfoResp(error(e));
        }
    }

    @Override
    public TUploadDataResp UploadData(TUploadDataReq req) {
        return new TUploadDataResp(notSupported("UploadData"), new TOperationHandle(Handle.random().toThrift(), TOperationType.UNKNOWN, false));
    }

    @Override
    public TDownloadDataResp DownloadData(TDownloadDataReq req) {
        return new TDownloadDataResp(notSupported("DownloadData"), new TOperationHandle(Handle.random().toThrift(), TOperationType.UNKNOWN, false));
    }
}
