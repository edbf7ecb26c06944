package dev.mortar.metastore.thrift;

import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Presents Mortar's handlers as one {@link ThriftHiveMetastore.Iface}. Each Iface method is served by
 * the handler that declares a public method of the same name and parameter types; the methods no
 * handler declares are left out of the processor, so clients get the same "Invalid method name"
 * answer as from a server without them.
 */
public final class HmsDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(HmsDispatcher.class);

    private record Target(Object handler, Method method) {}

    private final Map<Method, Target> targets = new HashMap<>();
    private final ThriftHiveMetastore.Iface iface;
    private final ThriftHiveMetastore.Iface wireIface;

    public HmsDispatcher(List<Object> handlers) {
        Map<String, Target> bySignature = new HashMap<>();
        for (Object handler : handlers) {
            for (Method m : handler.getClass().getDeclaredMethods()) {
                if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                    Target previous = bySignature.put(signature(m), new Target(handler, m));
                    if (previous != null) {
                        throw new IllegalStateException("Two handlers declare " + signature(m));
                    }
                }
            }
        }
        for (Method m : ThriftHiveMetastore.Iface.class.getMethods()) {
            Target target = bySignature.get(signature(m));
            if (target != null) {
                if (!m.getReturnType().equals(target.method().getReturnType())) {
                    throw new IllegalStateException("Handler method " + target.method() + " must return " + m.getReturnType());
                }
                targets.put(m, target);
            }
        }
        this.iface = (ThriftHiveMetastore.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ThriftHiveMetastore.Iface.class}, (proxy, method, args) -> invoke(method, args));
        this.wireIface = (ThriftHiveMetastore.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ThriftHiveMetastore.Iface.class}, (proxy, method, args) -> {
                    WireInputChecks.check(method.getName(), args);
                    return invoke(method, args);
                });
    }

    private static boolean declares(Method method, Throwable failure) {
        for (Class<?> type : method.getExceptionTypes()) {
            if (type != TException.class && type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    /** The handlers, for callers inside Mortar (the Glue API, crawlers, jobs). */
    public ThriftHiveMetastore.Iface iface() {
        return iface;
    }

    /** The handlers behind the checks that only Thrift clients' input gets ({@link WireInputChecks}). */
    public ThriftHiveMetastore.Iface wireIface() {
        return wireIface;
    }

    /** Names of the Thrift methods Mortar serves. */
    public Set<String> implementedMethods() {
        Set<String> names = new TreeSet<>();
        targets.keySet().forEach(m -> names.add(m.getName()));
        return names;
    }

    private Object invoke(Method method, Object[] args) throws Throwable {
        Target target = targets.get(method);
        if (target == null) {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(this, args);
            }
            throw new TApplicationException(TApplicationException.UNKNOWN_METHOD, "Invalid method name: '" + method.getName() + "'");
        }
        try {
            return target.method().invoke(target.handler(), args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TApplicationException || (cause instanceof TException && declares(method, cause))) {
                throw cause;
            }
            if (cause instanceof TException) {
                // A failure the call's IDL cannot carry reaches the client as its MetaException, as in the Hive Metastore.
                if (Arrays.asList(method.getExceptionTypes()).contains(MetaException.class)) {
                    throw new MetaException(cause.getMessage());
                }
                throw new TApplicationException(TApplicationException.INTERNAL_ERROR, cause.getMessage());
            }
            if (cause instanceof Error error) {
                throw error;
            }
            // An unexpected failure reaches the client as the protocol's MetaException where the call declares it; its
            // Java class stays in the server's log.
            LOG.error("{} failed", method.getName(), cause);
            if (Arrays.asList(method.getExceptionTypes()).contains(MetaException.class)) {
                throw new MetaException("Internal error processing " + method.getName() + (cause.getMessage() == null ? " (see the server log)" : ": " + cause.getMessage()));
            }
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR, "Internal error processing " + method.getName() + ": " + cause.getMessage());
        }
    }
}
