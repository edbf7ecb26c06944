-- Connections of the Glue-compatible API (CreateConnection, ...), which JDBC crawler targets name.
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- One row per connection: its type and its ConnectionInput as given (JSON, without the name), with
-- the connection properties (JDBC_CONNECTION_URL, USERNAME, PASSWORD, ...) in it.
CREATE TABLE g_connections (
  connection_name VARCHAR(255) NOT NULL PRIMARY KEY,
  connection_type VARCHAR(64) NOT NULL,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ${table_options};
