from taskctl.cli import main

main()
