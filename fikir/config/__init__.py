"""Settings and the reference data (languages, regions, SDGs, framework areas) fikir runs on."""
