NC.data("search/terms/61-64",{"adel":[28,78,155,275],"adil":[28],"administration":[65,86,149,263,274],"advise":[29,30,35,36,61,272,274,275],"advising":[29,30,36,273,274],"advisory":[173,245,276]});
