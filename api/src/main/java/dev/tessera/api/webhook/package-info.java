/**
 * Signed webhook deliveries, as the Standard Webhooks specification (standardwebhooks.com) defines
 * them: {@link dev.tessera.api.webhook.WebhookSigner} signs what the operator sends, {@link
 * dev.tessera.api.webhook.WebhookVerifier} checks it on the receiving side. Plain Java, so that a
 * receiver can use it without the operator's dependencies.
 */
package dev.tessera.api.webhook;
