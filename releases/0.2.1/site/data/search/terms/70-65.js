NC.data("search/terms/70-65",{"peaceful":[169,276],"peak":[59,120,133],"people":[52,53,57,223,240,245,278,279],"period":[134]});
