/**
 * Version of the contract between the proxy stored in state and the implementation it loads. Bumped
 * only if that contract changes; the implementation refuses a proxy speaking another version. The proxy
 * carries it as a literal (see providerProxy.ts), and a test keeps the two equal.
 */
export const PROXY_PROTOCOL = 1;
