"""Print environment variables for the local demo: fresh secrets, SQLite under var/."""

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# chitra's G2P Connect signing key (Ed25519), shared by the web process and the simulator
key_file = Path("var/g2p-signing-key.pem").resolve()
if not key_file.exists():
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(pem)
    os.chmod(key_file, 0o600)

print(f"CHITRA_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"CHITRA_FIELD_KEYS={Fernet.generate_key().decode()}")
print(f"CHITRA_BLIND_INDEX_KEY={secrets.token_urlsafe(32)}")
print("CHITRA_SECURE_COOKIES=0")
print("CHITRA_ALLOWED_HOSTS=127.0.0.1,localhost")
print("CHITRA_DEMO=1")
print(f"CHITRA_G2P_SIGNING_KEY_FILE={key_file}")
