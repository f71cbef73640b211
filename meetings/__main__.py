from meetings.cli import main

raise SystemExit(main())
