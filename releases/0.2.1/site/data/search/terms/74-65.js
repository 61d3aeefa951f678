NC.data("search/terms/74-65",{"tehran":[18,113,127,279],"term":[49,97,182,280],"terror":[36,41],"terrorism":[65,87,237,279,280],"terrorist":[31,43,53,57,140,276,280],"tested":[221,280]});
