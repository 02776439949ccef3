from sendkit_tui.cli import main

raise SystemExit(main())
