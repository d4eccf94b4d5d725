-- dxl indexer schema, version 2: what the GraphQL API reads and writes beside the index.
--
-- The index tables stay the indexer's alone; the API adds its own two tables and the indexes its queries need.

-- One row per GraphQL operation served, written by the API server; read back through `queryAudit`.
CREATE TABLE query_audit_log (
  id bigserial PRIMARY KEY,
  -- the signed-in account; null in open development mode or for anonymous callers
  account text,
  served_at timestamptz NOT NULL DEFAULT now(),
  operation_name text,
  -- SHA-256 of the document and of the variables' JSON: what was asked, without storing what was asked
  document_hash text NOT NULL,
  variables_hash text NOT NULL,
  result_bytes integer NOT NULL,
  duration_ms double precision NOT NULL,
  -- the `extensions.code` of each error returned, as a JSON array of strings
  error_codes jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX query_audit_log_by_served_at ON query_audit_log (served_at, id);
CREATE INDEX query_audit_log_by_account ON query_audit_log (account, id);

-- Sign-in with Ethereum: a nonce is issued once, used at most once, and worthless after it expires.
CREATE TABLE auth_nonces (
  nonce text PRIMARY KEY,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX auth_nonces_by_expiry ON auth_nonces (expires_at);

-- `Attestation.next`: the attestation whose previous one is this (ids are unique across sources).
CREATE INDEX attestations_by_previous ON attestations (previous_attestation_id);
CREATE INDEX attestations_by_attested_at ON attestations (attested_at, attestation_id);
-- Requests as a member organization sees them (as requester or as holder), newest or oldest first.
CREATE INDEX access_requests_by_holder ON access_requests (holder_organization_id, requested_at);
CREATE INDEX access_requests_by_requester_organization ON access_requests (requester_organization_id, requested_at);
CREATE INDEX access_requests_by_requested_at ON access_requests (requested_at, request_id);
CREATE INDEX deliveries_by_attestation ON deliveries (attestation_id);
CREATE INDEX deliveries_by_delivered_at ON deliveries (delivered_at, delivery_id);
