package dev.mortar.gateway.service;

import java.util.Optional;

/**
 * Who is on the other end of one connection (binary) or request (HTTP).
 *
 * @param authenticatedUser the user the transport proved (SASL PLAIN, HTTP Basic); empty when the
 *                          transport carried no credentials and OpenSession's own user/password apply
 */
public record ConnectionContext(Optional<String> authenticatedUser, String transport, String peer) {}
