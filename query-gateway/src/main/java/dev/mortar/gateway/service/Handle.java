package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.THandleIdentifier;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.UUID;

/** A session's or operation's identifier and the secret that a client must echo with it. */
public record Handle(UUID id, byte[] secret) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static Handle random() {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        return new Handle(UUID.randomUUID(), secret);
    }

    public THandleIdentifier toThrift() {
        ByteBuffer guid = ByteBuffer.allocate(16);
        guid.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).flip();
        return new THandleIdentifier(guid, ByteBuffer.wrap(secret.clone()));
    }

    public static UUID idOf(THandleIdentifier identifier) {
        ByteBuffer guid = identifier.bufferForGuid();
        if (guid == null || guid.remaining() != 16) {
            return new UUID(0, 0);
        }
        guid = guid.duplicate();
        return new UUID(guid.getLong(), guid.getLong());
    }

    public boolean matches(THandleIdentifier identifier) {
        ByteBuffer secretBuffer = identifier.bufferForSecret();
        if (secretBuffer == null) {
            return false;
        }
        byte[] given = new byte[secretBuffer.remaining()];
        secretBuffer.duplicate().get(given);
        return MessageDigest.isEqual(secret, given);
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
