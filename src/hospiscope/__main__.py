from hospiscope.cli.app import main

main()
