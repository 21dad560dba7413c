"""Print environment variables for the local demo: fresh secrets, SQLite under var/."""

import secrets

from cryptography.fernet import Fernet

print(f"CHITRA_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"CHITRA_FIELD_KEYS={Fernet.generate_key().decode()}")
print(f"CHITRA_BLIND_INDEX_KEY={secrets.token_urlsafe(32)}")
print("CHITRA_SECURE_COOKIES=0")
print("CHITRA_ALLOWED_HOSTS=127.0.0.1,localhost")
print("CHITRA_DEMO=1")
