"""What both profiles share: the CSV writer, the TEAM hash, random draws and code lists."""
