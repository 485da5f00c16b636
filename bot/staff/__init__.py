"""What staff read: reports, reload messages, the open-data export, the printable directory."""
