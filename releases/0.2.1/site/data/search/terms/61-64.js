NC.data("search/terms/61-64",{"adel":[28,81,160,279],"adil":[28],"administration":[68,69,90,152,278],"advise":[29,30,37,38,64,276,278,279],"advising":[29,30,38,277,278],"advisory":[178,251,280]});
