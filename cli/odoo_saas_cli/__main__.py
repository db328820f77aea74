"""python -m odoo_saas_cli"""

import sys

from odoo_saas_cli.main import main

sys.exit(main())
