// Endpoint signing secrets are sealed by the keyring (src/security/fieldCipher.ts), bound to their row and column:
// a sealed value copied to another row does not open.
export function endpointSecretContext(endpointId: string, column: 'secret' | 'previous_secret'): string {
  return `webhook_endpoints.${column}:${endpointId}`;
}
