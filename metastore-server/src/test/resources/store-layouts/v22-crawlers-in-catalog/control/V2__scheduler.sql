-- The scheduler: triggers, workflows and their runs, the record of ended runs that the scheduler
-- evaluates, and the one leader lease. ${text} and ${table_options} are filled in per database.

-- Triggers: the checked definition as a JSON document of the control plane's own format, the state
-- (CREATED, ACTIVATED, DEACTIVATED) and, for SCHEDULED ones, the watermark: every tick at or before
-- fired_through (epoch ms) is done. The scheduler claims a tick with a compare-and-set on it.
CREATE TABLE c_triggers (
  trigger_name VARCHAR(255) NOT NULL PRIMARY KEY,
  workflow_name VARCHAR(255),
  trigger_type VARCHAR(16) NOT NULL,
  trigger_state VARCHAR(16) NOT NULL,
  definition ${text} NOT NULL,
  fired_through BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};
CREATE INDEX c_triggers_workflow ON c_triggers (workflow_name);
CREATE INDEX c_triggers_type ON c_triggers (trigger_type, trigger_state);

-- Workflows: description, default run properties and MaxConcurrentRuns as JSON.
CREATE TABLE c_workflows (
  workflow_name VARCHAR(255) NOT NULL PRIMARY KEY,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};

-- Workflow runs: status RUNNING, COMPLETED, STOPPING, STOPPED or ERROR; the run properties; the
-- snapshot of the workflow's triggers taken when the run started; for a resumed run, the run it
-- resumed and the graph nodes it kept from it (JSON lists).
CREATE TABLE c_workflow_runs (
  run_id VARCHAR(128) NOT NULL PRIMARY KEY,
  workflow_name VARCHAR(255) NOT NULL,
  run_status VARCHAR(16) NOT NULL,
  started_at BIGINT NOT NULL,
  completed_at BIGINT,
  modified_at BIGINT NOT NULL,
  previous_run_id VARCHAR(128),
  properties ${text} NOT NULL,
  triggers ${text} NOT NULL,
  kept_nodes ${text},
  error_message ${text}
) ${table_options};
CREATE INDEX c_workflow_runs_workflow ON c_workflow_runs (workflow_name, started_at);
CREATE INDEX c_workflow_runs_status ON c_workflow_runs (workflow_name, run_status);

-- Conditional firings, claimed once per trigger and chain (a workflow run, or the runs that descend
-- from one firing of a SCHEDULED or ON_DEMAND trigger).
CREATE TABLE c_trigger_firings (
  trigger_name VARCHAR(255) NOT NULL,
  chain_id VARCHAR(128) NOT NULL,
  fired_at BIGINT NOT NULL,
  PRIMARY KEY (trigger_name, chain_id)
) ${table_options};

-- Every job run or crawl that a trigger started and that has ended for good (after its retries),
-- written in the transaction that ended it: the scheduler's outbox (evaluated_at NULL) and the
-- history a chain's conditions are judged on.
CREATE TABLE c_run_ends (
  run_kind VARCHAR(8) NOT NULL,
  run_id VARCHAR(128) NOT NULL,
  target_name VARCHAR(255) NOT NULL,
  run_state VARCHAR(16) NOT NULL,
  ended_at BIGINT NOT NULL,
  trigger_name VARCHAR(255) NOT NULL,
  chain_id VARCHAR(128) NOT NULL,
  workflow_name VARCHAR(255),
  evaluated_at BIGINT,
  PRIMARY KEY (run_kind, run_id)
) ${table_options};
CREATE INDEX c_run_ends_pending ON c_run_ends (evaluated_at, ended_at);
CREATE INDEX c_run_ends_chain ON c_run_ends (chain_id, run_kind, target_name);

-- The leader lease: one row per lease name; token grows with every new holder (the fencing token).
CREATE TABLE c_leases (
  lease_name VARCHAR(64) NOT NULL PRIMARY KEY,
  holder VARCHAR(255) NOT NULL,
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
) ${table_options};

-- Where a run came from: the chain and workflow of the trigger that started it.
ALTER TABLE c_job_runs ADD COLUMN chain_id VARCHAR(128);
ALTER TABLE c_job_runs ADD COLUMN workflow_name VARCHAR(255);
CREATE INDEX c_job_runs_chain ON c_job_runs (chain_id);
ALTER TABLE g_crawls ADD COLUMN trigger_name VARCHAR(255);
ALTER TABLE g_crawls ADD COLUMN chain_id VARCHAR(128);
ALTER TABLE g_crawls ADD COLUMN workflow_name VARCHAR(255);
CREATE INDEX g_crawls_chain ON g_crawls (chain_id);

-- A crawler's schedule: SCHEDULED or NOT_SCHEDULED (the definition keeps the expression), and its
-- watermark, as a SCHEDULED trigger's.
ALTER TABLE g_crawlers ADD COLUMN schedule_state VARCHAR(16);
ALTER TABLE g_crawlers ADD COLUMN schedule_fired_through BIGINT;
