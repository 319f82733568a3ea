# The ingestion lab ETL (W11-W13): binaries and their checks.
