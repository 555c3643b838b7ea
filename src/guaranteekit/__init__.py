"""guaranteekit: score proposed security-guarantee packages."""

import os

__version__ = "0.1.0"

# pydantic runs the validation plugins any installed package registers (entry points); one could
# observe or change how our files validate, and a file must be valid or not whatever is installed.
# Finding them also reads every installed package's metadata at the first model, on every command.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
