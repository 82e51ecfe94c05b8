/**
 * Templated values of declarative steps: {@code $(params.path)}, {@code $(credentials.key)} and
 * {@code $(totp(credentials.key))}, the current RFC 6238 code of a base32 seed.
 */
package dev.tessera.api.template;
