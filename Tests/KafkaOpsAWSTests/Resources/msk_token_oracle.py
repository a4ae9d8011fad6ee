"""Oracle for the MSK IAM token test: AWS's aws-msk-iam-sasl-signer-python, with time frozen.

Usage: python msk_token_oracle.py REGION EPOCH_SECONDS
Credentials come from the environment: ORACLE_ACCESS_KEY_ID, ORACLE_SECRET_ACCESS_KEY and,
optionally, ORACLE_SESSION_TOKEN (not AWS_*: the library must not find anything but these).
Prints the token, its expiry in epoch milliseconds and the library's User-Agent, one a line.
"""
import datetime
import os
import sys

import botocore.auth
from botocore.credentials import CredentialProvider, Credentials

from aws_msk_iam_sasl_signer import MSKAuthTokenProvider

region, epoch = sys.argv[1], int(sys.argv[2])
frozen = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).replace(tzinfo=None)
# botocore's signers read the clock through this one function.
botocore.auth.get_current_datetime = lambda *args, **kwargs: frozen


class Fixed(CredentialProvider):
    METHOD = "fixed"

    def load(self):
        return Credentials(os.environ["ORACLE_ACCESS_KEY_ID"], os.environ["ORACLE_SECRET_ACCESS_KEY"],
                           os.environ.get("ORACLE_SESSION_TOKEN") or None)


token, expiry_ms = MSKAuthTokenProvider.generate_auth_token_from_credentials_provider(region, Fixed())
print(token)
print(expiry_ms)
print(MSKAuthTokenProvider.__get_user_agent__())
