package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayException;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TOperationType;
import org.apache.hive.service.rpc.thrift.TRowSet;

import java.util.List;

/** An operation whose (small) result is computed at once: metadata calls and gateway commands. */
public final class MaterializedOperation extends Operation {
    private final List<ResultColumn> schema;
    private final List<Object[]> rows;
    private final boolean hasResultSet;
    private int position;

    public MaterializedOperation(TOperationType type, Session session, List<ResultColumn> schema, List<Object[]> rows) {
        super(type, session);
        this.schema = List.copyOf(schema);
        this.rows = rows;
        this.hasResultSet = !schema.isEmpty();
        setState(TOperationState.FINISHED_STATE);
    }

    @Override
    public boolean hasResultSet() {
        return hasResultSet;
    }

    @Override
    public List<ResultColumn> schema() {
        return schema;
    }

    @Override
    public synchronized TRowSet fetch(int maxRows, boolean fromStart) {
        if (state() != TOperationState.FINISHED_STATE) {
            throw new GatewayException(GatewayException.INVALID_HANDLE, "Operation " + handle() + " is " + state() + "; it has no rows to fetch");
        }
        if (fromStart) {
            position = 0;
        }
        RowSetBuilder builder = new RowSetBuilder(schema, position);
        while (position < rows.size() && builder.rows() < maxRows) {
            builder.addRow(rows.get(position++));
        }
        return builder.build();
    }

    @Override
    public void cancel() {
        // already complete: nothing runs
    }

    @Override
    public void close() {
        setState(TOperationState.CLOSED_STATE);
    }
}
