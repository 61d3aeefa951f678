NC.data("search/terms/68-75",{"hundreds":[106,227,259,276],"hussein":[9,15,39,161,192,216,276,277,278]});
