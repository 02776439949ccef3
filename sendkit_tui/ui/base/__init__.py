"""What several screens share: the lead-form screen base and the list's delete actions."""
