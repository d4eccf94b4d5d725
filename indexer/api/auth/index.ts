/** Sign-in with Ethereum, session tokens, and who a request's viewer is and what it may read. */
export { createAuthenticator, createOpenAuthenticator } from "./authenticator";
export type { Authenticator, Session } from "./authenticator";
export { createContractWalletVerifier } from "./contract-wallets";
export { AuthError } from "./errors";
export type { AuthErrorCode } from "./errors";
export { createNonceStore } from "./nonces";
export type { NonceStore, NonceStoreOptions } from "./nonces";
export { createSessionTokens } from "./session-tokens";
export type { SessionToken, SessionTokenOptions, SessionTokens } from "./session-tokens";
export { createSignInService } from "./sign-in";
export type { NonceGrant, SignedIn, SignInOptions, SignInService } from "./sign-in";
export type { ContractWalletVerifier, SignInExpectations } from "./siwe-message";
export { createIndexedStateReader, indexedChainId, loadViewer, scopeOf } from "./viewer";
export type { IndexedState, IndexedStateReader, MemberViewer } from "./viewer";
