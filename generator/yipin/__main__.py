import sys

from yipin.commands.main import main

sys.exit(main())
