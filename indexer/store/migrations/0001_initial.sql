-- dxl indexer schema, version 1. Released: never edit; add a new numbered file instead.
--
-- `events` is the ledger: every log of the suite's contracts, decoded where possible. The projections below it
-- are pure functions of `events` (see projections.ts): a batch or a rollback recomputes the entities it touched,
-- so an incremental index and a fresh one always hold the same rows.

CREATE TABLE blocks (
  chain_id integer NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  parent_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  PRIMARY KEY (chain_id, block_number)
);

CREATE TABLE events (
  chain_id integer NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp bigint NOT NULL,
  transaction_hash text NOT NULL,
  transaction_index integer NOT NULL,
  log_index integer NOT NULL,
  contract_address text NOT NULL,
  contract_name text NOT NULL,
  -- null when the log matched no event of the contract's ABI: kept raw, never dropped
  event_name text,
  -- the entity the event is about, as `kind:key` (`request:0x…`, `attestation:7`); null for suite settings
  subject text,
  args jsonb,
  topics jsonb NOT NULL,
  data text NOT NULL,
  PRIMARY KEY (chain_id, block_hash, log_index)
);
CREATE INDEX events_by_position ON events (chain_id, block_number, log_index);
CREATE INDEX events_by_subject ON events (subject, block_number, log_index);
CREATE INDEX events_by_name ON events (event_name, block_number);

CREATE TABLE checkpoint (
  chain_id integer PRIMARY KEY,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  -- blocks up to here are final: a reorganization reaching them stops the indexer
  finalized_block bigint NOT NULL,
  -- the contracts indexed, so a database is never resumed against another deployment
  contracts jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION dxl_organization_kind(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (ARRAY['TELECOM', 'BANK', 'WATER_UTILITY', 'POWER_UTILITY', 'MUNICIPAL', 'PUBLIC_SECURITY',
                'OVERSIGHT'])[value + 1]
$$;

CREATE FUNCTION dxl_request_status(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (ARRAY['NONE', 'PENDING', 'APPROVED', 'REJECTED', 'REVOKED'])[value + 1]
$$;

CREATE FUNCTION dxl_acknowledgement(value integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (ARRAY['NONE', 'ACCEPTED', 'DISPUTED'])[value + 1]
$$;

CREATE TABLE organizations (
  organization_id bigint PRIMARY KEY,
  kind text NOT NULL,
  name text NOT NULL,
  metadata_uri text NOT NULL,
  active boolean NOT NULL,
  registered_block bigint NOT NULL,
  registered_at timestamptz NOT NULL,
  updated_block bigint NOT NULL
);

CREATE TABLE members (
  account text PRIMARY KEY,
  organization_id bigint NOT NULL,
  -- bit i set: the account holds Role i (ORG_ADMIN, DATA_STEWARD, INVESTIGATOR, SUPERVISOR, AUDITOR)
  roles integer NOT NULL,
  added_by text NOT NULL,
  added_block bigint NOT NULL,
  updated_block bigint NOT NULL
);
CREATE INDEX members_by_organization ON members (organization_id);

CREATE TABLE data_sources (
  source_id text PRIMARY KEY,
  organization_id bigint NOT NULL,
  name text NOT NULL,
  sensitivity integer NOT NULL,
  endorsement_required boolean NOT NULL,
  schema_version integer NOT NULL,
  schema_hash text NOT NULL,
  schema_uri text NOT NULL,
  retired boolean NOT NULL,
  registered_by text NOT NULL,
  registered_block bigint NOT NULL,
  registered_at timestamptz NOT NULL
);
CREATE INDEX data_sources_by_organization ON data_sources (organization_id);

CREATE TABLE data_source_schemas (
  source_id text NOT NULL,
  schema_version integer NOT NULL,
  schema_hash text NOT NULL,
  schema_uri text NOT NULL,
  steward text NOT NULL,
  block_number bigint NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (source_id, schema_version)
);

CREATE TABLE attestations (
  attestation_id bigint PRIMARY KEY,
  source_id text NOT NULL,
  organization_id bigint NOT NULL,
  merkle_root text NOT NULL,
  record_count bigint NOT NULL,
  period_start bigint NOT NULL,
  period_end bigint NOT NULL,
  previous_attestation_id bigint NOT NULL,
  data_uri text NOT NULL,
  chain_digest text NOT NULL,
  attester text NOT NULL,
  block_number bigint NOT NULL,
  transaction_hash text NOT NULL,
  attested_at timestamptz NOT NULL,
  revoked boolean NOT NULL
);
CREATE INDEX attestations_by_source ON attestations (source_id, attestation_id);
CREATE INDEX attestations_by_root ON attestations (merkle_root);

CREATE TABLE access_requests (
  request_id text PRIMARY KEY,
  requester text NOT NULL,
  requester_organization_id bigint NOT NULL,
  holder_organization_id bigint NOT NULL,
  source_id text NOT NULL,
  case_ref text NOT NULL,
  scope_hash text NOT NULL,
  purpose integer NOT NULL,
  not_before bigint NOT NULL,
  not_after bigint NOT NULL,
  max_deliveries integer NOT NULL,
  nonce numeric NOT NULL,
  deadline numeric NOT NULL,
  submitter text NOT NULL,
  endorsement_required boolean NOT NULL,
  endorsed_by text,
  endorsed_by_signature boolean,
  endorsed_at timestamptz,
  status text NOT NULL,
  decided_by text,
  decided_at timestamptz,
  rejection_reason integer,
  requested_block bigint NOT NULL,
  requested_at timestamptz NOT NULL,
  updated_block bigint NOT NULL
);
CREATE INDEX access_requests_by_case ON access_requests (case_ref, requested_block);
CREATE INDEX access_requests_by_requester ON access_requests (requester);
CREATE INDEX access_requests_by_source ON access_requests (source_id);

CREATE TABLE deliveries (
  delivery_id bigint PRIMARY KEY,
  request_id text NOT NULL,
  attestation_id bigint NOT NULL,
  payload_hash text NOT NULL,
  record_count integer NOT NULL,
  delivery_number integer NOT NULL,
  steward text NOT NULL,
  block_number bigint NOT NULL,
  transaction_hash text NOT NULL,
  delivered_at timestamptz NOT NULL,
  acknowledgement text NOT NULL,
  acknowledgement_reason integer,
  acknowledged_by text,
  acknowledged_at timestamptz
);
CREATE INDEX deliveries_by_request ON deliveries (request_id, delivery_number);

CREATE TABLE revocations (
  chain_id integer NOT NULL,
  block_hash text NOT NULL,
  log_index integer NOT NULL,
  -- GRANT (subject_id is a request id) or ATTESTATION (an attestation id)
  kind text NOT NULL,
  subject_id text NOT NULL,
  revoked_by text NOT NULL,
  reason_code integer,
  reason text,
  previous_status text,
  block_number bigint NOT NULL,
  transaction_hash text NOT NULL,
  revoked_at timestamptz NOT NULL,
  PRIMARY KEY (chain_id, block_hash, log_index)
);
CREATE INDEX revocations_by_subject ON revocations (kind, subject_id);
