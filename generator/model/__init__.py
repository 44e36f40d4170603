"""The data model: plans, delaftaler, their outline, fingerprints and Danish validation messages. Imports only ``generator.base``."""
