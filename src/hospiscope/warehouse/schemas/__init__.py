"""Tables of the indicator families, one SQL file each (CREATE TABLE IF NOT EXISTS)."""
