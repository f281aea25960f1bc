class RemembersLoadedValues:
    """Keeps the values a row was loaded with (Django's documented `from_db` pattern), so
    that `clean()` can tell what a form, an API call or a spreadsheet row is changing, and
    every door applies the same rule about changes."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def loaded_value(self, attname, default=None):
        """The value of `attname` when the row was loaded (`default` for a new record)."""
        return getattr(self, "_loaded_values", {}).get(attname, default)

    def changed_since_loaded(self, names):
        """Which of these fields now differ from the values the row was loaded with."""
        loaded = getattr(self, "_loaded_values", {})
        changed = []
        for name in names:
            attname = self._meta.get_field(name).attname
            if attname in loaded and getattr(self, attname) != loaded[attname]:
                changed.append(name)
        return changed
