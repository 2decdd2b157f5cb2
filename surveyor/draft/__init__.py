"""Related-work drafts: pool -> themes -> written sections -> verified draft -> rendered files."""
