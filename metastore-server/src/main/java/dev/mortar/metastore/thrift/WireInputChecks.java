package dev.mortar.metastore.thrift;

import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.MetaException;

/**
 * Checks the Hive Metastore makes of its Thrift clients' input that Mortar's other front ends do not
 * share: the Glue API, for one, creates functions without an owner type, where a Hive client's
 * function without one is a MetaException.
 */
final class WireInputChecks {
    private WireInputChecks() {}

    static void check(String method, Object[] args) throws MetaException {
        switch (method) {
            case "create_function" -> requireOwnerType((Function) args[0]);
            case "alter_function" -> requireOwnerType((Function) args[2]);
            default -> { }
        }
    }

    private static void requireOwnerType(Function function) throws MetaException {
        if (function != null && function.getOwnerType() == null) {
            throw new MetaException("Function " + function.getFunctionName() + " has no owner type");
        }
    }
}
