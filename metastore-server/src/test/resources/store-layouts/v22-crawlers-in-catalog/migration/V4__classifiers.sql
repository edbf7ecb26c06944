-- Custom classifiers of the Glue-compatible API (CreateClassifier, ...).
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- One row per classifier: its kind (GrokClassifier, XMLClassifier, JsonClassifier, CsvClassifier), its
-- definition as given (JSON, without the name), times in epoch milliseconds and the version, which
-- starts at 1 and grows with every UpdateClassifier.
CREATE TABLE g_classifiers (
  classifier_name VARCHAR(255) NOT NULL PRIMARY KEY,
  classifier_kind VARCHAR(32) NOT NULL,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};
