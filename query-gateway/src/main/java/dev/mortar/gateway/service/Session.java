package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.TProtocolVersion;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A client session: its user, current database, configuration and open operations. */
public final class Session {
    private final Handle handle = Handle.random();
    private final String user;
    private final TProtocolVersion protocol;
    private final Map<String, String> configuration = new ConcurrentHashMap<>();
    private final Map<UUID, Operation> operations = new ConcurrentHashMap<>();
    private final AtomicInteger runningQueries = new AtomicInteger();
    private volatile String currentDatabase = "default";
    private volatile long lastAccessMillis = System.currentTimeMillis();

    public Session(String user, TProtocolVersion protocol) {
        this.user = user;
        this.protocol = protocol;
    }

    public Handle handle() {
        return handle;
    }

    public String user() {
        return user;
    }

    public TProtocolVersion protocol() {
        return protocol;
    }

    public String currentDatabase() {
        return currentDatabase;
    }

    public void useDatabase(String database) {
        this.currentDatabase = database;
    }

    public Map<String, String> configuration() {
        return configuration;
    }

    public Map<UUID, Operation> operations() {
        return operations;
    }

    public AtomicInteger runningQueries() {
        return runningQueries;
    }

    public void touch() {
        lastAccessMillis = System.currentTimeMillis();
    }

    public long lastAccessMillis() {
        return lastAccessMillis;
    }
}
